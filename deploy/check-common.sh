# Sourced by deploy/check and deploy/check-compose: what both need before they build anything.
# Host networking only (CONTAINERS.md in the shared docs of these machines): dockerd without a
# bridge, iptables or masquerading; builds and containers use the host's network.

step() { echo "== $*"; }

# The repository's venv runs the loopback fake Slack.
ensure_venv() {
  [ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'; }
}

# A Docker daemon: the running one, or one started here with host networking only.
ensure_docker() {
  docker info >/dev/null 2>&1 && return
  step "starting dockerd (host networking only; log in /tmp/paperbot-check-dockerd.log)"
  dockerd --bridge=none --iptables=false --ip-masq=false >/tmp/paperbot-check-dockerd.log 2>&1 &
  echo "dockerd pid $! (stop it with: kill $!)"
  for _ in $(seq 30); do docker info >/dev/null 2>&1 && return; sleep 1; done
  echo "FAILED: dockerd did not answer within 30 s (see /tmp/paperbot-check-dockerd.log)" >&2
  exit 1
}

# BASE, made with debootstrap when it is local/debian:bookworm and missing (no registry here).
ensure_base() {
  local base="$1" rootfs
  if [ "$base" = local/debian:bookworm ] && ! docker image inspect "$base" >/dev/null 2>&1; then
    step "making $base with debootstrap"
    rootfs="$(mktemp -d)"
    debootstrap --variant=minbase bookworm "$rootfs" >"$rootfs.log"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - "$base"
    rm -rf "$rootfs" "$rootfs.log"
  fi
}

# The host's locally added CA certificates as deploy/extra-ca.crt (git-ignored), for pip behind
# a TLS-intercepting proxy.
extra_ca() {
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cat /usr/local/share/ca-certificates/*.crt >deploy/extra-ca.crt
    echo "extra CA for the build: /usr/local/share/ca-certificates/*.crt"
  fi
}

# The fake Slack's Web API base, once deploy/check_slack.py has written it to FILE: paperbot must
# never start without it (it would call the real slack.com). Python starts slowly on a loaded
# machine, so up to 120 s.
fake_slack_url() {
  local file="$1"
  for _ in $(seq 1200); do
    [ -s "$file" ] && { cat "$file"; return; }
    sleep 0.1
  done
  echo "FAILED: the fake Slack did not start within 120 s" >&2
  exit 1
}
