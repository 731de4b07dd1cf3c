#!/usr/bin/env bash
# A real S3 server on 127.0.0.1 for the @futures/s3 tests and benchmark: Ceph radosgw (Debian 12
# ships Ceph 16 "pacific") on a throwaway single-node cluster: 1 mon + 1 OSD on memstore + radosgw
# (beast), auth none inside the cluster, one S3 user. Starts in ~2 s, stops in ~0.5 s (2 cores).
#
#   scripts/s3-server.sh install   install ceph-mon, ceph-osd, radosgw, ceph-common, rclone (apt, as root)
#   scripts/s3-server.sh start     start it, or reuse the one already answering; print endpoint=URL
#   scripts/s3-server.sh stop      stop the daemons `start` started and remove the cluster's
#                                  directory, unless someone else still uses it (see below)
#   scripts/s3-server.sh status    exit 0 (and print endpoint=URL) if it answers with our credentials
#
# Several users (two test runs, a benchmark) may share the one server. Each `start` takes a lease
# for the process FUTURES_S3_OWNER_PID (default: the caller, $PPID), and that process's `stop`
# gives it back. The server stops when the process that started it gives its lease back and no
# other live process holds one (if others do, the first of them takes over that role); a process
# that only reused it never stops it. A `stop` from a process without a lease (e.g. by hand) stops
# it if no live process holds a lease. `stop --force` stops it in any case.
#
# S3: endpoint http://127.0.0.1:$FUTURES_S3_PORT (default 7480), region us-east-1 (any region is
# accepted), access key FUTURESACCESSKEY, secret FUTURESSECRETKEY, path-style addressing.
# Environment: FUTURES_S3_DIR (the cluster's directory: config, pid files, logs in log/; default
# ${TMPDIR:-/tmp}/futures-s3), FUTURES_S3_PORT, FUTURES_S3_STORE_BYTES (memstore capacity,
# default 3 GiB), FUTURES_S3_START_TIMEOUT (seconds each daemon may take to come up, default 90).
# FUTURES_S3_MON_PORTS (the Ceph mon's msgr2 and msgr1 ports, default "3300 6789"; a second cluster
# needs other ones, a FUTURES_S3_DIR and a FUTURES_S3_PORT of its own). Without Ceph, point the
# tests at any S3-compatible server with FUTURES_S3_ENDPOINT (+ FUTURES_S3_ACCESS_KEY_ID,
# FUTURES_S3_SECRET_ACCESS_KEY, FUTURES_S3_REGION) instead.
#
# Memory: objects live in the OSD process, at about twice their size (1 GiB of objects: OSD RSS
# 2 GiB; idle cluster ~120 MiB). Deleted objects are garbage-collected 1-2 minutes later (rgw's
# default is hours); the OSD's RSS then falls to about half its peak.
#
# radosgw 16 versus AWS S3: CompleteMultipartUpload answers with an empty ETag (HeadObject and
# ListObjectsV2 show the proper "<md5 of part md5s>-<parts>"); GetObject/HeadObject ignore
# PartNumber (whole object, no PartsCount); CopyObject of a multipart object keeps its "-N" ETag;
# the SDK's default aws-chunked uploads with trailing checksums get 411 MissingContentLength (use
# requestChecksumCalculation: 'WHEN_REQUIRED'); non-ASCII x-amz-meta-* values come
# back garbled, or fail the signature (CreateMultipartUpload).
set -euo pipefail

dir=${FUTURES_S3_DIR:-${TMPDIR:-/tmp}/futures-s3}
port=${FUTURES_S3_PORT:-7480}
read -r mon_v2 mon_v1 <<<"${FUTURES_S3_MON_PORTS:-3300 6789}"
mon_addrs="[v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]"
store_bytes=${FUTURES_S3_STORE_BYTES:-3221225472}
start_timeout=${FUTURES_S3_START_TIMEOUT:-90}
endpoint=http://127.0.0.1:$port
access_key=FUTURESACCESSKEY
secret_key=FUTURESSECRETKEY
marker=.futures-s3 # marks a directory this script made, so `stop` never removes anything else

say() { printf 's3-server: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# die with a message and the tail of a log file.
die_with_log() {
  local message=$1 log=$2
  say "$message"
  if [ -s "$log" ]; then
    say "last lines of $log:"
    tail -n 25 "$log" | sed 's/^/    /' >&2
  fi
  exit 1
}

# 0 if the endpoint answers a ListBuckets signed with our credentials (radosgw wants the payload
# hash header, which curl 7.88 does not add by itself: this one is the SHA-256 of nothing).
answers() {
  local body
  body=$(curl -sf --max-time 3 --aws-sigv4 aws:amz:us-east-1:s3 --user "$access_key:$secret_key" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' "$endpoint/") &&
    [[ $body == *ListAllMyBucketsResult* ]]
}

# 0 if anything accepts TCP connections on 127.0.0.1:$1.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid from a pid file if that process is still running and is the expected program.
live_pid() {
  local file=$1 program=$2 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$program" ] && alive "$pid" || return 1
  echo "$pid"
}

# 0 while a process runs (a zombie waiting for its parent, often init, to reap it counts as gone).
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# SIGTERM to a pid, then wait until it is gone (SIGKILL after 10 s).
terminate() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 200); do
    alive "$pid" || return 0
    sleep 0.05
  done
  say "pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) did not stop in 10 s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
  while alive "$pid"; do sleep 0.05; done
}

# Stops the daemons recorded in $dir/run, in this order (radosgw waits up to 2 minutes for an
# OSD that is gone, the OSD 5 s for a mon that is gone).
stop_daemons() {
  local entry pid
  for entry in rgw.pid:radosgw osd.0.pid:ceph-osd mon.a.pid:ceph-mon; do
    pid=$(live_pid "$dir/run/${entry%%:*}" "${entry##*:}") && terminate "$pid"
  done
  return 0
}

# Leases: one empty file per user process in $dir/leases, named by its pid.
owner=${FUTURES_S3_OWNER_PID:-$PPID}
take_lease() {
  mkdir -p "$dir/leases"
  touch "$dir/leases/$owner"
}
# The pids holding a lease that are still running (the leases of dead ones are removed).
lease_holders() {
  local lease pid holders=()
  for lease in "$dir"/leases/*; do
    [ -e "$lease" ] || continue
    pid=${lease##*/}
    if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid"; then holders+=("$pid"); else rm -f "$lease"; fi
  done
  echo "${holders[*]}"
}

# One `start` or `stop` at a time (two test runs starting at once would collide on the ports).
lock() {
  exec 9>"$dir.lock"
  flock -w $((start_timeout * 3)) 9 || die "another s3-server.sh start/stop holds $dir.lock"
}

cmd_install() {
  local missing=() program
  for program in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool rclone curl flock setsid; do
    command -v "$program" >/dev/null || missing+=("$program")
  done
  if [ ${#missing[@]} = 0 ]; then
    say "radosgw, ceph-mon, ceph-osd, rclone already installed ($(radosgw --version | cut -d' ' -f1-3))"
    return 0
  fi
  local packages="ceph-mon ceph-osd radosgw ceph-common rclone curl util-linux"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing $packages (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $packages >/dev/null
    return 0
  fi
  die "missing ${missing[*]}. Install the Debian/Ubuntu packages as root:
    apt-get install --no-install-recommends $packages
or point the tests at an existing S3-compatible server instead:
    FUTURES_S3_ENDPOINT=http://host:port FUTURES_S3_ACCESS_KEY_ID=... FUTURES_S3_SECRET_ACCESS_KEY=... [FUTURES_S3_REGION=us-east-1]"
}

write_config() {
  local fsid=$1
  cat >"$dir/ceph.conf" <<EOF
# Written by scripts/s3-server.sh: a throwaway single-node cluster for tests.
[global]
fsid = $fsid
mon host = $mon_addrs
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
public addr = 127.0.0.1
ms bind ipv6 = false
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
# commit mon map changes (pool creations at the first radosgw start) at once, not once a second
paxos propose interval = 0.05
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = $store_bytes
# objects as the bufferlists that arrived (the 64 KiB page set took 25% more memory and 40% more time)
memstore page set = false
# 2 cores: fewer op threads than the ssd default (8 shards x 2)
osd op num shards = 2
osd op num threads per shard = 2
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid
keyring = $dir/keyring
[mon.a]
mon data = $dir/mon.a
[osd.0]
osd data = $dir/osd.0
[client.rgw.r]
ms mon client mode = crc
ms client mode = crc
# tcp_nodelay: without it every small answer on a kept-alive connection waits ~44 ms (Nagle and
# delayed ACKs), which no real S3 does; clients that open many connections would look better than they are.
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw data = $dir/rgw
rgw thread pool size = 64
rgw dynamic resharding = false
# give deleted objects' memory back within a minute (default: after 2 hours)
rgw gc obj min wait = 60
rgw gc processor period = 60
EOF
}

cmd_start() {
  mkdir -p "$(dirname "$dir")"
  lock
  if answers; then
    # ours (leases kept in $dir), or one this script did not start (no lease to take)
    [ -e "$dir/$marker" ] && take_lease
    say "reusing the S3 server already answering on $endpoint"
    echo "endpoint=$endpoint"
    return 0
  fi
  for command in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool curl; do
    command -v "$command" >/dev/null || die "$command not found: run scripts/s3-server.sh install (or set FUTURES_S3_ENDPOINT)"
  done
  # Leftovers of an earlier start that failed, or of one whose radosgw died.
  if [ -e "$dir" ]; then
    [ -e "$dir/$marker" ] || die "$dir exists and was not made by this script; remove it or set FUTURES_S3_DIR"
    stop_daemons
    rm -rf "$dir"
  fi
  if port_taken "$port"; then
    die "127.0.0.1:$port is taken by something that does not accept our S3 credentials; stop it or set FUTURES_S3_PORT"
  fi
  local p
  for p in "$mon_v2" "$mon_v1"; do
    port_taken "$p" && die "the Ceph mon port 127.0.0.1:$p is taken (another Ceph cluster running? see FUTURES_S3_MON_PORTS)"
  done

  local began=$SECONDS fsid osd_uuid osd_id pid
  mkdir -p "$dir"/{run,log,mon.a,osd.0,rgw}
  touch "$dir/$marker"
  # A failed start stops what it started (the logs stay in $dir/log until the next start or stop).
  started=0
  trap '[ "$started" = 1 ] || { stop_daemons; say "logs: $dir/log"; }' EXIT
  cd "$dir"
  fsid=$(cat /proc/sys/kernel/random/uuid)
  write_config "$fsid"

  ceph-authtool --create-keyring keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --addv a "$mon_addrs" --fsid "$fsid" monmap >/dev/null
  ceph-mon -c ceph.conf --mkfs -i a --monmap monmap --keyring keyring >log/mon-mkfs.log 2>&1 ||
    die_with_log "ceph-mon --mkfs failed" log/mon-mkfs.log
  # ceph-mon and ceph-osd fork into the background themselves (pid files run/mon.a.pid, run/osd.0.pid).
  ceph-mon -c ceph.conf -i a </dev/null >log/mon-stdout.log 2>&1 9>&- ||
    die_with_log "ceph-mon did not start" log/mon.a.log

  # `ceph osd new` registers the OSD with the mon, so it also waits for the mon to answer.
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(timeout "$start_timeout" ceph -c ceph.conf osd new "$osd_uuid" 2>log/osd-new.log) ||
    die_with_log "the Ceph mon did not answer within ${start_timeout}s" log/mon.a.log
  [ "$osd_id" = 0 ] || die "expected osd id 0, the mon gave $osd_id"
  ceph-osd -c ceph.conf -i 0 --mkfs --osd-uuid "$osd_uuid" >log/osd-mkfs.log 2>&1 ||
    die_with_log "ceph-osd --mkfs failed" log/osd-mkfs.log
  ceph-osd -c ceph.conf -i 0 </dev/null >log/osd-stdout.log 2>&1 9>&- ||
    die_with_log "ceph-osd did not start" log/osd.0.log

  # radosgw in the foreground of its own session (setsid: no signals from the caller's terminal);
  # every daemon's stdio goes to files, so a caller reading our stdout sees it close when we exit,
  # and none inherits the lock (fd 9).
  setsid radosgw -f -c ceph.conf -n client.rgw.r </dev/null >log/rgw-stdout.log 2>&1 9>&- &
  echo $! >run/rgw.pid
  local deadline=$((SECONDS + start_timeout))
  until curl -s -o /dev/null --max-time 2 "$endpoint/"; do
    pid=$(live_pid run/rgw.pid radosgw) || die_with_log "radosgw exited" log/client.rgw.r.log
    live_pid run/osd.0.pid ceph-osd >/dev/null || die_with_log "ceph-osd exited" log/osd.0.log
    [ $SECONDS -lt $deadline ] ||
      die_with_log "radosgw did not answer on $endpoint within ${start_timeout}s" log/client.rgw.r.log
    sleep 0.25
  done

  timeout "$start_timeout" radosgw-admin -c ceph.conf -n client.rgw.r --admin-socket= user create --uid=futures \
    --display-name=futures --access-key="$access_key" --secret="$secret_key" >/dev/null 2>log/user-create.log ||
    die_with_log "radosgw-admin user create failed" log/user-create.log
  deadline=$((SECONDS + start_timeout))
  until answers; do
    [ $SECONDS -lt $deadline ] ||
      die_with_log "radosgw does not accept the S3 user's credentials after ${start_timeout}s" log/client.rgw.r.log
    sleep 0.25
  done
  started=1
  take_lease
  echo "$owner" >"$dir/creator"
  say "radosgw up on $endpoint in $((SECONDS - began)) s (cluster in $dir)"
  echo "endpoint=$endpoint"
}

cmd_stop() {
  [ -e "$dir" ] || return 0
  [ -e "$dir/$marker" ] || die "$dir was not made by this script; not touching it"
  lock
  local had_lease=0 creator holders
  [ -e "$dir/leases/$owner" ] && had_lease=1
  rm -f "$dir/leases/$owner"
  creator=$(cat "$dir/creator" 2>/dev/null || true)
  holders=$(lease_holders)
  if [ "${1:-}" != --force ]; then
    if [ -n "$holders" ]; then
      [ "$creator" = "$owner" ] && echo "${holders%% *}" >"$dir/creator"
      say "left running: still used by pid(s) $holders (stop --force stops it anyway)"
      return 0
    fi
    if [ $had_lease = 1 ] && [ "$creator" != "$owner" ]; then
      say "left running: this process only reused it (started by pid ${creator:-?}); stop --force stops it"
      return 0
    fi
  fi
  stop_daemons
  rm -rf "$dir"
  say "stopped"
}

cmd_status() {
  if answers; then
    echo "endpoint=$endpoint"
  else
    say "no S3 server answering our credentials on $endpoint"
    return 1
  fi
}

case "${1:-}" in
install) cmd_install ;;
start) cmd_start ;;
stop) cmd_stop "${2:-}" ;;
status) cmd_status ;;
*) die "usage: $0 install | start | stop [--force] | status" ;;
esac
