#!/usr/bin/env python3
"""PyTorch implementation of the LRA model that landmark trains, for side-by-side speed and
memory comparisons (run with Debian's python3-torch; see bench/compare.sh).

The model follows the public Nystromformer LRA code (docs/attention.md, "nystrom", landmark_mode
reference): token + learned position embeddings, pre-norm
blocks (attention, GELU feed-forward), final layer norm times the mask, mean pooling, a
Linear-ReLU-Linear head; Nystrom attention with segment-mean landmarks, the iterative
pseudo-inverse from the global-max init and a depthwise conv skip; or exact softmax attention
with dropout. AdamW, batches of random tokens at the full padded length (the work per step
does not depend on the token values).

Prints one JSON line: median step time, padded tokens/s, peak RSS (and, with --device cuda,
peak GPU memory allocated by PyTorch). --precision bf16 runs the step under torch.autocast with
bfloat16, as landmark's train.precision=bf16 does.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def pinv_iterative(a, iterations):
    eye = torch.eye(a.size(-1), dtype=a.dtype, device=a.device)
    z = a.transpose(-1, -2) / torch.max(torch.sum(a, dim=-2))
    for _ in range(iterations):
        az = a @ z
        z = 0.25 * z @ (13 * eye - az @ (15 * eye - az @ (7 * eye - az)))
    return z


class NystromCore(nn.Module):
    def __init__(self, heads, landmarks, conv, iterations=6):
        super().__init__()
        self.m, self.iterations = landmarks, iterations
        self.conv = (nn.Conv2d(heads, heads, (conv, 1), padding=(conv // 2, 0), groups=heads,
                               bias=False) if conv > 0 else None)

    def forward(self, q, k, v, mask):
        b, h, n, d = q.shape
        scale = d ** -0.25
        q = q * mask[:, None, :, None] * scale
        k = k * mask[:, None, :, None] * scale
        ql = q.reshape(b, h, self.m, n // self.m, d).mean(dim=-2)
        kl = k.reshape(b, h, self.m, n // self.m, d).mean(dim=-2)
        f = torch.softmax(q @ kl.transpose(-1, -2), dim=-1)
        a = torch.softmax(ql @ kl.transpose(-1, -2), dim=-1)
        bk = torch.softmax(ql @ k.transpose(-1, -2) - 1e9 * (1 - mask[:, None, None, :]), dim=-1)
        x = (f @ pinv_iterative(a, self.iterations)) @ (bk @ v)
        if self.conv is not None:
            x = x + self.conv(v * mask[:, None, :, None])
        return x


class SoftmaxCore(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.drop = nn.Dropout(dropout)

    def forward(self, q, k, v, mask):
        s = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1)) - 1e6 * (1 - mask[:, None, None, :])
        return self.drop(torch.softmax(s, dim=-1)) @ v


class Block(nn.Module):
    def __init__(self, dim, ffn, heads, head_dim, core, dropout):
        super().__init__()
        self.heads, self.head_dim = heads, head_dim
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.q, self.k, self.v = (nn.Linear(dim, heads * head_dim) for _ in range(3))
        self.core, self.out = core, nn.Linear(heads * head_dim, dim)
        self.drop = nn.Dropout(dropout)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn), nn.GELU(), nn.Dropout(dropout),
                                 nn.Linear(ffn, dim), nn.Dropout(dropout))

    def split(self, x):
        b, n, _ = x.shape
        return x.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, mask):
        h = self.norm1(x)
        # the attention core runs in float32 outside autocast, as in the reference's LRA code
        # (and in landmark's mixed precision)
        q, k, v = (self.split(f(h)).float() for f in (self.q, self.k, self.v))
        with torch.autocast(h.device.type, enabled=False):
            o = self.core(q, k, v, mask)
        x = x + self.drop(self.out(o.transpose(1, 2).reshape(x.size(0), x.size(1), -1)))
        return x + self.ffn(self.norm2(x))


class Classifier(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.tok = nn.Embedding(args.vocab, args.dim)
        self.pos = nn.Embedding(args.seq, args.dim)
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos.weight, std=0.02)
        self.drop = nn.Dropout(args.dropout)
        cores = [NystromCore(args.heads, args.landmarks, args.conv) if args.attention == "nystrom"
                 else SoftmaxCore(args.dropout) for _ in range(args.layers)]
        self.blocks = nn.ModuleList(Block(args.dim, args.ffn, args.heads, args.head_dim, c,
                                          args.dropout) for c in cores)
        self.norm = nn.LayerNorm(args.dim)
        self.head = nn.Sequential(nn.Linear(args.dim, args.ffn), nn.ReLU(),
                                  nn.Linear(args.ffn, args.classes))

    def forward(self, ids, mask):
        x = self.drop(self.tok(ids) + self.pos.weight[None, : ids.size(1)])
        for block in self.blocks:
            x = block(x, mask)
        x = self.norm(x) * mask[..., None]
        return self.head(x.sum(1) / mask.sum(1, keepdim=True))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--attention", choices=["nystrom", "softmax"], default="nystrom")
    p.add_argument("--seq", type=int, default=2048)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--landmarks", type=int, default=64)
    p.add_argument("--conv", type=int, default=35)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--vocab", type=int, default=17)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--ffn", type=int, default=128)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--head-dim", dest="head_dim", type=int, default=32)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    model = Classifier(args).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, eps=1e-6, weight_decay=0.0)
    ids = torch.randint(2, args.vocab, (args.batch, args.seq), device=device)
    mask = torch.ones(args.batch, args.seq, device=device)
    labels = torch.randint(0, args.classes, (args.batch,), device=device)
    times = []
    for step in range(args.warmup + args.steps):
        if step == args.warmup and cuda:
            torch.cuda.reset_peak_memory_stats(device)
        t0 = time.perf_counter()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            loss = F.cross_entropy(model(ids, mask), labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if cuda:
            torch.cuda.synchronize(device)
        if step >= args.warmup:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    result = {"system": "pytorch " + torch.__version__, "attention": args.attention,
              "device": args.device, "precision": args.precision, "threads": args.threads,
              "median_step_s": med, "tokens_per_s": args.batch * args.seq / med,
              "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if cuda:
        result["peak_device_mib"] = torch.cuda.max_memory_allocated(device) / 2**20
    print(json.dumps(result))


if __name__ == "__main__":
    main()
