# Sourced by ./spectra: makes Prometheus's `prometheus` and `promtool` available for the tests that use them
# (AlertRulesTest checks deploy/prometheus/alerts.yml). Installs Debian's package when they are missing and apt-get
# can (root, or passwordless sudo); otherwise says why and goes on: those tests then skip, naming what is missing.
spectra_ensure_prometheus() {
  command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || { echo "spectra: promtool not found and no apt-get; the alert rule tests will skip" >&2; return 0; }
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then as_root=(sudo -n); else
      echo "spectra: promtool not found and not root; install Debian's 'prometheus' package, or the alert rule tests skip" >&2
      return 0
    fi
  fi
  echo "spectra: installing Debian's prometheus package (prometheus, promtool) for the tests..." >&2
  if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null 2>&1; then
    "${as_root[@]}" apt-get update -q >/dev/null 2>&1 || true
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null 2>&1 \
      || echo "spectra: could not install prometheus; the alert rule tests will skip" >&2
  fi
  # Where the package's init script started a server (port 9090), stop it: nothing of Spectra's uses it.
  [ -x /etc/init.d/prometheus ] && "${as_root[@]}" /etc/init.d/prometheus stop >/dev/null 2>&1
  return 0
}
