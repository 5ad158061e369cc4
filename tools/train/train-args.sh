# Sourced by the train.sh scripts: reads --data, --work and --python, keeps every other flag in EXTRA
# for the Python trainer. Set WORK (the default work folder) and USAGE before sourcing.
DATA=""
PYTHON=/usr/bin/python3
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --python) PYTHON="$2"; shift 2 ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
if [[ -z "$DATA" ]]; then
  echo "usage: $USAGE" >&2
  exit 2
fi
DATA="$(realpath "$DATA")"
