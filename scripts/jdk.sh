# Sourced by ./spectra and .ci/run: points JAVA_HOME at a JDK 21 or newer.
# Spectra builds with JDK 21+; many machines still default to 17, so look beside the default too.

# The JDK's major version: from its release file (JAVA_VERSION="21.0.5"), else from `java -version`'s version line.
# Never from its first line: with JAVA_TOOL_OPTIONS, _JAVA_OPTIONS or JDK_JAVA_OPTIONS set, the JVM first prints
# "Picked up ..." (or "NOTE: Picked up ...").
spectra_java_major() {
  local version=""
  if [ -r "$1/release" ]; then
    version=$(sed -n -E 's/^JAVA_VERSION="([^"]*)".*/\1/p' "$1/release")
  fi
  if [ -z "$version" ]; then
    version=$("$1/bin/java" -version 2>&1 | sed -n -E 's/.* version "([^"]*)".*/\1/p' || true)
  fi
  version=${version%%$'\n'*}
  # 1.8.0_402 is 8; 21.0.5, 21-ea and 23 are 21, 21 and 23.
  version=${version#1.}
  echo "${version%%[!0-9]*}"
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
