#!/usr/bin/env bash
# The ListWorkflows call (a 50-run page, about 250 KB) through its peers,
# side by side against one loopback server running in a process of its own:
#
#   the SDK's send(), raw reqwest + serde_json into the same types (as
#   reqwest's .json() decodes, and as the SDK decodes), raw reqwest without
#   decoding                   (criterion, benches/list_workflows.rs)
#   the client openapi-python-client generates from the same openapi.yaml
#                              (benches/peers/python_list_workflows.py)
#
# and prints each one's CPU time per call (the client process only; the
# server is elsewhere) with ratios against the SDK.
#
#   bash benches/peers/side_by_side.sh [PYTHON_CALLS]     (default 1000)
#
# Needs python3 >= 3.11 with venv and pip (PyPI); writes only under target/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
calls=${1:-1000}
die() { echo "side_by_side.sh: $*" >&2; exit 1; }

echo "==> building the benchmark (release)" >&2
exe=$(cargo bench --bench list_workflows --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "list_workflows" and m.get("executable"):
        print(m["executable"])')
[[ -x $exe ]] || die "could not build benches/list_workflows.rs (run: cargo bench --bench list_workflows --no-run)"

echo "==> the Python peer (virtualenv + openapi-python-client)" >&2
bash benches/peers/setup_python_client.sh target/peers/venv target/peers/client openapi.yaml >&2

echo "==> starting the server" >&2
url_file=$(mktemp)
SEQERA_BENCH_SERVE=1 "$exe" >"$url_file" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$url_file"' EXIT
for _ in $(seq 1 100); do [[ -s $url_file ]] && break; sleep 0.1; done
url=$(head -1 "$url_file")
[[ $url == http://* ]] || die "the server did not start"
echo "    $url (pid $server)" >&2

echo "==> Rust: criterion, client CPU per call" >&2
SEQERA_BENCH_URL=$url "$exe" --bench >&2

echo "==> Python: $calls calls" >&2
python_json=$(target/peers/venv/bin/python benches/peers/python_list_workflows.py \
  --client-dir target/peers/client --url "$url" --token bench-token --workspace-id 1 \
  --calls "$calls" --warmup 50 --max 50)
echo "    $python_json" >&2

python3 - "$root/target/criterion" "$python_json" <<'PY'
import json, sys, pathlib
base, python = pathlib.Path(sys.argv[1]), json.loads(sys.argv[2])

def median(group, name):
    path = base / group / name / "new" / "estimates.json"
    return json.loads(path.read_text())["median"]["point_estimate"]  # ns per call

rows = [(name, median("list_workflows_cpu", name) / 1e3, median("list_workflows_wall", name) / 1e3)
        for name in ("sdk", "raw_typed", "raw_typed_str", "raw_bytes")]
rows.append((python["client"], python["cpu_us_per_call"], python["wall_us_per_call"]))
sdk_cpu, sdk_wall = rows[0][1], rows[0][2]
print("ListWorkflows, 50 runs per page, loopback, server in its own process (medians)")
print(f"{'client':<34} {'CPU µs/call':>12} {'÷ sdk':>8} {'wall µs/call':>13} {'calls/s':>9}")
for name, cpu, wall in rows:
    print(f"{name:<34} {cpu:>12.1f} {cpu / sdk_cpu:>8.2f} {wall:>13.1f} {1e6 / wall:>9.0f}")
print(f"CPU sdk / raw_typed: {sdk_cpu / rows[1][1]:.3f}, sdk / raw_typed_str (the layer alone): "
      f"{sdk_cpu / rows[2][1]:.3f} (target <= 1.15); "
      f"Python / sdk: {python['cpu_us_per_call'] / sdk_cpu:.1f}x (target >= 10)")
PY
