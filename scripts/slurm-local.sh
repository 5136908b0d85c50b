#!/usr/bin/env bash
# A single-node Slurm on this machine, for testing array jobs (test/slurm.test.ts, docs/cluster.md):
# munge with its key, a minimal slurm.conf (one node, its CPUs, one partition, no accounting, no
# cgroups), slurmctld and slurmd started as root, ready when sinfo shows the node idle.
#
#   scripts/slurm-local.sh install   # Debian: apt-get install slurmctld slurmd slurm-client munge
#   scripts/slurm-local.sh start     # prints the SLURM_CONF to export for sbatch, squeue, …
#   scripts/slurm-local.sh stop      # stops the daemons it started
#
# Everything lives in $BUMPSCAN_SLURM_DIR (default /tmp/bumpscan-slurm): slurm.conf, the state and
# spool folders, pid files, and the logs slurmctld.log and slurmd.log (look there when jobs fail).
# Needs root (the daemons run as root, SlurmUser=root); no systemd: the daemons are started directly.
set -euo pipefail

dir=${BUMPSCAN_SLURM_DIR:-/tmp/bumpscan-slurm}
conf=$dir/slurm.conf
host=$(hostname -s)
cpus=${BUMPSCAN_SLURM_CPUS:-$(nproc)}

die() {
  echo "slurm-local: $*" >&2
  exit 1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_packages() {
  [ "$(id -u)" -eq 0 ] || die "install needs root"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return; fi # a munged already answers
  install -d -o munge -g munge -m 700 /etc/munge /var/lib/munge /var/log/munge
  install -d -o munge -g munge -m 755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
  # munged refuses to start as root: it runs as the munge user, like its service unit
  runuser -u munge -- munged
  touch "$dir/munged.started" # stop ends only a munged this script started
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return
    sleep 0.1
  done
  die "munged does not answer (munge -n | unmunge); see /var/log/munge/munged.log"
}

write_conf() {
  cat >"$conf" <<EOF
# Written by scripts/slurm-local.sh: one node, $cpus CPUs, no accounting, no cgroups.
ClusterName=bumpscan
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (slurmctld and slurmd run as root here)"
  local missing=""
  for c in munged slurmctld slurmd sbatch; do command -v "$c" >/dev/null || missing="$missing $c"; done
  [ -z "$missing" ] ||
    die "not installed:$missing (scripts/slurm-local.sh install: apt-get install slurmctld slurmd slurm-client munge)"
  export SLURM_CONF=$conf
  if alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid"; then
    echo "slurm-local: already running" >&2
  else
    if pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null; then
      die "a slurmctld or slurmd not started by this script is running; stop it first"
    fi
    rm -rf "$dir/state" "$dir/spool"
    mkdir -p "$dir/state" "$dir/spool"
    start_munge
    write_conf
    slurmctld -f "$conf" || die "slurmctld did not start; see $dir/slurmctld.log"
    slurmd -f "$conf" || die "slurmd did not start; see $dir/slurmd.log"
  fi
  local state=""
  for _ in $(seq 150); do
    state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
    case $state in
      idle) break ;;
      down* | drain* | drng*) scontrol update nodename="$host" state=resume 2>/dev/null || true ;;
    esac
    sleep 0.2
  done
  [ "$state" = idle ] ||
    die "the node is not idle after 30 s (sinfo: ${state:-no answer}); see $dir/slurmctld.log and $dir/slurmd.log"
  echo "export SLURM_CONF=$conf"
}

# wait until the processes are gone (their pid files go first), at most 10 s
wait_gone() {
  for _ in $(seq 100); do
    local left=""
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  return 1
}

stop() {
  export SLURM_CONF=$conf
  local pids=""
  for pidfile in "$dir/slurmctld.pid" "$dir/slurmd.pid"; do
    if alive "$pidfile"; then pids="$pids $(cat "$pidfile")"; fi
  done
  if [ -n "$pids" ]; then
    scontrol shutdown >/dev/null 2>&1 || true # stops slurmctld and every slurmd
    # shellcheck disable=SC2086
    wait_gone $pids || kill $pids 2>/dev/null || true
  fi
  if [ -f "$dir/munged.started" ]; then
    if alive /run/munge/munged.pid; then
      pids=$(cat /run/munge/munged.pid)
      kill "$pids"
      wait_gone "$pids" || true
    fi
    rm -f "$dir/munged.started"
  fi
  echo "slurm-local: stopped" >&2
}

mkdir -p "$dir"
case ${1:-} in
  install) install_packages ;;
  start) start ;;
  stop) stop ;;
  *) die "usage: scripts/slurm-local.sh install|start|stop" ;;
esac
