#!/bin/sh
# Reports what a process sees from inside its isolation, one key=value per line; the tests assert on it.
echo "uid=$(id -u)"
echo "gid=$(id -g)"
echo "hostname=$(cat /proc/sys/kernel/hostname)"
echo "pid1=$(cat /proc/1/comm)"
echo "tmpdir=$TMPDIR"
echo "cwd=$(pwd)"
echo "data_env=$SLUICE_DATA_DIR"
for d in / /usr /bin /etc /lib /sbin /sluice/data /sluice/tmp /tmp /var/tmp /sluice/logs /sluice/store; do
  if (true > "$d/.probe-write") 2>/dev/null; then rm -f "$d/.probe-write"; echo "write:$d=ok"; else echo "write:$d=denied"; fi
done
echo shared > /tmp/written-via-tmp
procs=""
for p in /proc/[0-9]*; do
  { read -r c < "$p/comm"; } 2>/dev/null && procs="$procs ${p#/proc/}:$c"
done
echo "procs=$procs"
echo "nofile=$(ulimit -n)"
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  # cgroup v2: the container's own cgroup at /sys/fs/cgroup; memsw as v1 means it, memory plus swap.
  echo "memory=$(cat /sys/fs/cgroup/memory.max)"
  echo "memsw=$(( $(cat /sys/fs/cgroup/memory.max) + $(cat /sys/fs/cgroup/memory.swap.max) ))"
  echo "pids=$(cat /sys/fs/cgroup/pids.max)"
  echo "cpuweight=$(cat /sys/fs/cgroup/cpu.weight)"
else
  echo "memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
  echo "memsw=$(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes)"
  echo "pids=$(cat /sys/fs/cgroup/pids/pids.max)"
  echo "cpushares=$(cat /sys/fs/cgroup/cpu/cpu.shares)"
fi
grep -E '^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status | tr -d ' \t' | sed 's/:/=/'
echo "netdev=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ,)"
if (true > /proc/sysrq-trigger) 2>/dev/null; then echo "sysrq=writable"; else echo "sysrq=denied"; fi
echo "timer_list=$(wc -c < /proc/timer_list 2>/dev/null)"

# An orphan that exits: tini, as PID 1, must adopt and reap it (a copy of sleep, so that its name is unique).
cp /bin/sleep "$TMPDIR/orphan"
sh -c "$TMPDIR/orphan 0.3 &"
seen=no; left=yes; parent=none; i=0
while [ $i -lt 100 ]; do
  found=no
  for p in /proc/[0-9]*; do
    if { read -r c < "$p/comm"; } 2>/dev/null && [ "$c" = orphan ]; then
      found=yes; seen=yes; parent=$(cut -d' ' -f4 < "$p/stat")
    fi
  done
  if [ $seen = yes ] && [ $found = no ]; then left=no; break; fi
  i=$((i + 1)); sleep 0.05
done
echo "orphan_seen=$seen"
echo "orphan_parent=$parent"
echo "orphan_left=$left"
echo "done=yes"
