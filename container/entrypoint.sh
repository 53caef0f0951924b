#!/bin/sh
# The image's entry point (Containerfile). Checks that the volumes are writable by this user, then runs:
#   dashboard             vcar dashboard on $DASHBOARD_HOST:$DASHBOARD_PORT
#   ingest MINUTES DIR    vcar ingest logs DIR --json now and every MINUTES minutes
#   digest HH:MM "ROLES"  vcar digest --role R for each role, every day at HH:MM in $VCAR_TIMEZONE
#   anything else         as given: vcar report usage --json, vcar users add NAME --role admin, sh, ...
set -eu

for dir in "$(dirname "${VCAR_WAREHOUSE:?}")" "${VCAR_SECRETS_DIR:?}"; do
    if [ -d "$dir" ] && [ ! -w "$dir" ]; then
        echo "vcar-entrypoint: $dir is not writable by user $(id -un) (uid $(id -u)); use a named volume," \
             "or chown $(id -u) the folder mounted there" >&2
        exit 2
    fi
done

case "${1:-dashboard}" in
dashboard)
    exec vcar dashboard --host "${DASHBOARD_HOST:?}" --port "${DASHBOARD_PORT:?}"
    ;;
ingest)
    [ $# -eq 3 ] || { echo "vcar-entrypoint: usage: ingest MINUTES LOG_DIR" >&2; exit 2; }
    exec vcar-schedule every "$2" vcar ingest logs "$3" --json
    ;;
digest)
    [ $# -eq 3 ] || { echo "vcar-entrypoint: usage: digest HH:MM \"ROLE ...\"" >&2; exit 2; }
    # shellcheck disable=SC2086 # the roles are one word each
    exec vcar-schedule daily "$2" vcar-entrypoint digests-now $3
    ;;
digests-now)
    # one digest per role; a role that fails does not keep the others from being sent
    shift
    failed=0
    for role in "$@"; do
        vcar digest --role "$role" || failed=1
    done
    exit "$failed"
    ;;
*)
    exec "$@"
    ;;
esac
