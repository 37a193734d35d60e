#!/usr/bin/env python3
"""A loopback OpenAI-compatible chat-completions server with a fixed latency, for the gate
benchmark. Binds 127.0.0.1 only, answers every request after --latency-ms, keeps connections
alive, and prints its port on stdout. GET /stats returns the requests served and the peak number
in flight since GET /reset. It stops when stdin closes (its parent went away).

usage: benchmarks/llm_server.py [--latency-ms 200]
"""

import argparse
import asyncio
import json
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--latency-ms", type=float, default=200)
args = parser.parse_args()
state = {"in_flight": 0, "peak": 0, "requests": 0}


def answer(body):
    request = json.loads(body or b"{}")
    messages = request.get("messages", [])
    question = messages[-1].get("content", "") if messages else ""
    if isinstance(question, list):
        question = " ".join(part.get("text", "") for part in question if isinstance(part, dict))
    text = f"Answer: {question}"
    return {
        "id": "chatcmpl-bench", "object": "chat.completion", "created": int(time.time()),
        "model": request.get("model", "bench-model"),
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": len(question.split()) + 10, "completion_tokens": len(text.split()),
                  "total_tokens": len(question.split()) + 10 + len(text.split())},
    }


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if method == "GET" and path.rstrip("/").endswith(("/stats", "/reset")):
                if path.rstrip("/").endswith("/reset"):
                    state.update(in_flight=0, peak=0, requests=0)
                payload = json.dumps(state).encode()
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                             + f"content-length: {len(payload)}\r\n\r\n".encode() + payload)
                await writer.drain()
                continue
            state["requests"] += 1
            state["in_flight"] += 1
            state["peak"] = max(state["peak"], state["in_flight"])
            await asyncio.sleep(args.latency_ms / 1000)
            state["in_flight"] -= 1
            if path.rstrip("/").endswith("/models"):
                payload = json.dumps({"object": "list", "data": [{"id": "bench-model", "object": "model"}]}).encode()
            else:
                payload = json.dumps(answer(body)).encode()
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                         + f"content-length: {len(payload)}\r\n\r\n".encode() + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    # Stop when the parent closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
