#!/bin/sh
# Runs a command on a schedule for ever, in the foreground of a container (no cron daemon, no root):
#   vcar-schedule every MINUTES CMD...   now, then MINUTES minutes after each run started
#   vcar-schedule daily HH:MM CMD...     every day at HH:MM in $VCAR_TIMEZONE (default Asia/Shanghai)
# A run that fails is reported on one line and the schedule goes on, as a systemd timer's would. SIGTERM is passed
# on to a run in progress and ends the schedule once that run has stopped.
set -u

usage() {
    echo "vcar-schedule: $1 (usage: vcar-schedule every MINUTES CMD... | vcar-schedule daily HH:MM CMD...)" >&2
    exit 2
}

[ $# -ge 3 ] || usage "too few arguments"
mode=$1
when=$2
shift 2
zone=${VCAR_TIMEZONE:-Asia/Shanghai}
case $mode in
every)
    case $when in '' | *[!0-9]* | 0 | 00*) usage "MINUTES must be a whole number above 0, not '$when'" ;; esac
    ;;
daily)
    echo "$when" | grep -Eq '^([01][0-9]|2[0-3]):[0-5][0-9]$' || usage "HH:MM must be a time such as 07:30, not '$when'"
    [ -f "/usr/share/zoneinfo/$zone" ] || usage "unknown time zone '$zone' (VCAR_TIMEZONE)"
    ;;
*)
    usage "unknown schedule '$mode'"
    ;;
esac

child=""
stop() {
    [ -z "$child" ] || { kill -TERM "$child" 2>/dev/null; wait "$child"; }
    exit 0
}
trap stop TERM INT

# sleep and the run go to the background and the shell waits for them, so that SIGTERM is handled at once
pause() {
    sleep "$1" &
    child=$!
    wait "$child"
    child=""
}

next_daily() {
    now=$(date +%s)
    at=$(TZ=$zone date -d "today $when" +%s)
    [ "$at" -gt "$now" ] || at=$(TZ=$zone date -d "tomorrow $when" +%s)
    echo "$at"
}

while :; do
    if [ "$mode" = daily ]; then
        at=$(next_daily)
        echo "vcar-schedule: next run at $(TZ=$zone date -d "@$at" '+%Y-%m-%d %H:%M %Z')" >&2
        pause $((at - $(date +%s)))
    fi
    started=$(date +%s)
    "$@" &
    child=$!
    wait "$child"
    code=$?
    child=""
    if [ "$code" -ne 0 ]; then
        echo "vcar-schedule: '$*' failed with exit code $code" >&2
    fi
    echo "vcar-schedule: run ended (exit $code)" >&2
    if [ "$mode" = every ]; then
        left=$((when * 60 - ($(date +%s) - started)))
        [ "$left" -gt 0 ] || left=0
        pause "$left"
    fi
done
