"""Python peer of the ListWorkflows benchmark.

Makes the same call as the Rust side (GET /workflow?workspaceId=..&max=..)
through the client that openapi-python-client generates from the same schema
(see setup_python_client.sh), and prints one JSON line of per-call cost.
Each call goes through the generated `list_workflows.sync`, so the figure
includes decoding the body into the `ListWorkflowsResponse` model.

Run it with the venv's interpreter (it has httpx, attrs and the generator):

    target/peers/venv/bin/python benches/peers/python_list_workflows.py \
        --client-dir target/peers/client --url http://127.0.0.1:PORT \
        --token TOKEN --workspace-id 1 --calls 2000 --warmup 100 --expect-items 50
"""

import argparse
import importlib
import json
import sys
import time
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def die(message: str) -> None:
    print(f"python_list_workflows.py: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="base URL of the API, e.g. http://127.0.0.1:8080")
    parser.add_argument("--token", required=True)
    parser.add_argument("--workspace-id", type=int, required=True)
    parser.add_argument("--calls", type=int, default=2000, help="timed calls")
    parser.add_argument("--warmup", type=int, default=100, help="untimed calls made first")
    parser.add_argument("--max", type=int, default=50, help="the `max` query parameter")
    parser.add_argument("--expect-items", type=int, help="workflows each response must decode to (default: --max)")
    parser.add_argument("--client-dir", type=Path, default=REPO / "target/peers/client",
                        help="OUT_DIR given to setup_python_client.sh (default: %(default)s)")
    parser.add_argument("--package", default="seqera_platform_client",
                        help="generated package name (package_name_override in openapi-python-client.yaml)")
    args = parser.parse_args()
    if args.expect_items is None:
        args.expect_items = args.max
    if args.calls <= 0 or args.warmup < 0:
        die("--calls must be > 0 and --warmup >= 0")

    # The figure is labelled with the generator's version, so it must be the
    # venv that generated the client; refuse another interpreter.
    try:
        generator = f"openapi-python-client {version('openapi-python-client')}"
    except PackageNotFoundError:
        die(f"openapi-python-client is not installed for {sys.executable}; run this with the venv's python")
    if not (args.client_dir / args.package).is_dir():
        die(f"no generated package {args.package} in {args.client_dir}; run setup_python_client.sh first")
    sys.path.insert(0, str(args.client_dir))
    try:
        client_mod = importlib.import_module(f"{args.package}.client")
        list_workflows = importlib.import_module(f"{args.package}.api.workflows.list_workflows")
        models = importlib.import_module(f"{args.package}.models")
    except ImportError as err:
        die(f"cannot import the generated client from {args.client_dir}: {err}")
    expected_type = models.ListWorkflowsResponse

    # One client, so one keep-alive httpx connection for every call. Accept-Version
    # as the Rust SDK sends it; raise on undocumented statuses rather than get None;
    # trust_env=False so that no proxy variable can route loopback traffic elsewhere.
    client = client_mod.AuthenticatedClient(
        base_url=args.url,
        token=args.token,
        headers={"Accept-Version": "1"},
        raise_on_unexpected_status=True,
        httpx_args={"trust_env": False},
    )

    def call(index: int) -> None:
        try:
            result = list_workflows.sync(client=client, workspace_id=args.workspace_id, max_=args.max)
        except Exception as err:  # transport failure, bad status, or from_dict rejecting the body
            traceback.print_exc()
            die(f"call {index} failed: {type(err).__name__}: {err}")
        # A documented 400 decodes to ErrorResponse and a 403 to None: neither counts.
        if not isinstance(result, expected_type):
            die(f"call {index} returned {type(result).__name__} ({result!r:.300}), not ListWorkflowsResponse")
        items = result.workflows
        if not isinstance(items, list) or len(items) != args.expect_items:
            got = len(items) if isinstance(items, list) else items
            die(f"call {index} decoded {got} workflows, expected {args.expect_items}")

    with client:
        for i in range(args.warmup):
            call(i)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for i in range(args.calls):
            call(args.warmup + i)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0

    print(json.dumps({
        "client": generator,
        "calls": args.calls,
        "cpu_us_per_call": round(cpu * 1e6 / args.calls, 1),
        "wall_us_per_call": round(wall * 1e6 / args.calls, 1),
        "calls_per_s": round(args.calls / wall, 1),
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
