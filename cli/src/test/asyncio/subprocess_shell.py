# A shell command through create_subprocess_shell: separate stdout and stderr, an exit code, a timeout and kill().
# Run it with:  ./braid run --allow-run=sh cli/src/test/asyncio/subprocess_shell.py
import asyncio
from asyncio.subprocess import PIPE


async def main():
    proc = await asyncio.create_subprocess_shell("echo to-out; echo to-err >&2; exit 3", stdout=PIPE, stderr=PIPE)
    out, err = await proc.communicate()
    print("stdout:", out, "stderr:", err, "returncode:", proc.returncode)

    proc = await asyncio.create_subprocess_exec("sh", "-c", "read x; echo \"got $x\"", stdin=PIPE, stdout=PIPE)
    out, _ = await proc.communicate(b"input\n")
    print("exec sh -c:", out, proc.returncode)

    # stderr folded into stdout
    proc = await asyncio.create_subprocess_shell("echo one; echo two >&2", stdout=PIPE, stderr=asyncio.subprocess.STDOUT)
    out, err = await proc.communicate()
    print("merged:", sorted(out.decode().split()), "stderr:", err)

    # a process that would run too long: wait_for times out, then kill() ends it
    proc = await asyncio.create_subprocess_exec("sh", "-c", "exec sleep 10", stdout=PIPE)
    try:
        await asyncio.wait_for(proc.wait(), timeout=0.1)
    except TimeoutError:
        print("still running after the timeout:", proc.returncode)
    proc.kill()
    print("killed; returncode:", await proc.wait())


asyncio.run(main())
