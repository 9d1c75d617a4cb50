# Subprocesses with pipes: echo's output, cat fed through stdin with communicate(), line by line, return codes.
# Run it with:  ./braid run --allow-run=echo,cat cli/src/test/asyncio/subprocess_pipes.py
import asyncio
from asyncio.subprocess import PIPE


async def main():
    proc = await asyncio.create_subprocess_exec("echo", "hello", "from", "echo", stdout=PIPE)
    out, err = await proc.communicate()
    print("echo said:", out, "stderr not piped:", err, "returncode:", proc.returncode)

    proc = await asyncio.create_subprocess_exec("cat", stdin=PIPE, stdout=PIPE)
    out, _ = await proc.communicate(b"line one\nline two\n")
    print("cat gave back:", out.decode().splitlines(), "returncode:", proc.returncode)

    # a conversation: write a line, read it back, several times, then close stdin
    proc = await asyncio.create_subprocess_exec("cat", stdin=PIPE, stdout=PIPE)
    for word in ("alpha", "beta", "gamma"):
        proc.stdin.write(word.encode() + b"\n")
        await proc.stdin.drain()
        print("  round trip:", (await proc.stdout.readline()).decode().rstrip())
    proc.stdin.close()
    print("  after stdin closed:", await proc.stdout.read(), "exit:", await proc.wait())

    # several at once
    procs = [await asyncio.create_subprocess_exec("echo", str(n), stdout=PIPE) for n in range(3)]
    outputs = await asyncio.gather(*(p.communicate() for p in procs))
    print("concurrent:", [out.decode().strip() for out, _ in outputs], [p.returncode for p in procs])

    # cat on a file that does not exist: a non-zero exit and a message on its stderr
    proc = await asyncio.create_subprocess_exec("cat", "/nonexistent/braid-test-file", stdout=PIPE, stderr=PIPE)
    out, err = await proc.communicate()
    print("missing file: returncode", proc.returncode, "stdout", out, "stderr names the file:", b"braid-test-file" in err)


asyncio.run(main())
