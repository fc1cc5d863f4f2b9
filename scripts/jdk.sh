# Sourced by ./spectra and .ci/run: points JAVA_HOME at a JDK 21 or newer.
# Spectra builds with JDK 21+; many machines still default to 17, so look beside the default too.

spectra_java_major() {
  "$1/bin/java" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+)(\.[^"]*)?".*/\1/'
}

spectra_usable_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local major
  major=$(spectra_java_major "$1")
  [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 21 ]
}

spectra_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && spectra_usable_jdk "$JAVA_HOME"; then
    echo "$JAVA_HOME"; return 0
  fi
  local best="" best_major=0 candidate major on_path
  on_path=$(command -v javac 2>/dev/null || true)
  for candidate in ${on_path:+"$(dirname "$(dirname "$(readlink -f "$on_path")")")"} \
                   /usr/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    spectra_usable_jdk "$candidate" || continue
    major=$(spectra_java_major "$candidate")
    if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  [ -n "$best" ] && echo "$best"
}

if ! JAVA_HOME=$(spectra_find_jdk); then
  echo "Spectra needs JDK 21 or newer (none found in JAVA_HOME, on PATH or under /usr/lib/jvm)." >&2
  echo "Install one, for example 'apt-get install openjdk-21-jdk', or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
