"""Trains NeuroMem's scale heads (token / turn / session projections + turn salience) on features
exported by export-features.ts, cross-validates them by conversation and writes the heads as plain
float32 files (createLinearScaleHeads) and, with --onnx-out, as ONNX (createOnnxScaleHeads).
See README.md beside this file. Run with Debian's python (torch 1.13 CPU, onnx, numpy):

  /usr/bin/python3 train_scale_heads.py --features /tmp/neuromem-scale-heads/features \
      --cv-out /tmp/neuromem-scale-heads --artifacts packages/embeddings/heads/hashing-384 \
      --onnx-out packages/embeddings/test-models/hashing-384
"""
import argparse, hashlib, json, os, time
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch
import torch.nn.functional as F

DIMS = {'token': 256, 'turn': 512, 'session': 1024}
COMMAND = 'bash tools/train/scale-heads/train.sh --data path/to/locomo10.json'
LINEAR_FORMAT = 'neuromem.linear-heads/v1'


def orthonormal(d_out, d_in, gen):
    """Orthonormal columns when d_out >= d_in (an isometry: cosines kept exactly), else orthonormal rows."""
    q, _ = torch.linalg.qr(torch.randn(max(d_out, d_in), min(d_out, d_in), generator=gen, dtype=torch.float64))
    return (q if d_out >= d_in else q.T).float().contiguous()


def load(features_dir):
    manifest = json.load(open(os.path.join(features_dir, 'manifest.json')))
    dim = manifest['dimensions']
    x = torch.from_numpy(np.fromfile(os.path.join(features_dir, 'features.bin'), dtype=np.float32).reshape(-1, dim))
    block = lambda name: x[slice(*manifest['blocks'][name])]
    own, ctx, obs = block('own'), block('context'), block('observation')
    turn_session = torch.tensor(manifest['turnSession'])
    cited = [(p['from'], p['to']) for p in manifest['pairs'] if p['type'] == 'observation-turn']
    convs = []
    for c in manifest['conversations']:
        (t0, t1), (s0, s1), (o0, o1) = c['turns'], c['sessions'], c['observations']
        pos = torch.zeros(o1 - o0, t1 - t0, dtype=torch.bool)  # observation -> the turns it cites
        for o, t in cited:
            if o0 <= o < o1: pos[o - o0, t - t0] = True
        convs.append(dict(id=c['id'], own=own[t0:t1], ctx=ctx[t0:t1], obs=obs[o0:o1], pos=pos,
                          session=turn_session[t0:t1] - s0, sessions=s1 - s0))
    return manifest, convs


class Heads(torch.nn.Module):
    def __init__(self, dim, seed):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        for scale, d in DIMS.items():
            w0 = orthonormal(d, dim, gen)
            self.register_buffer(f'{scale}_init', w0)
            setattr(self, scale, torch.nn.Parameter(w0.clone()))
        self.salience = torch.nn.Linear(dim, 1)  # zero init = uniform salience, the fallback
        torch.nn.init.zeros_(self.salience.weight); torch.nn.init.zeros_(self.salience.bias)
        self.log_scale = torch.nn.Parameter(torch.full((3,), float(np.log(1 / 0.05))))

    def weight(self, scale):
        return getattr(self, scale)

    def drift(self):
        return sum(((self.weight(s) - getattr(self, f'{s}_init')) ** 2).sum() for s in DIMS)


def dense_mm(a, b):
    # Debian's torch links the reference BLAS; oneDNN's GEMM is ~8x faster on the same 2 cores.
    return torch._C._nn.mkldnn_linear(a.contiguous().to_mkldnn(), b.T.contiguous().to_mkldnn(), None).to_dense()


class MatMul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return dense_mm(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return dense_mm(grad, b.T), dense_mm(a.T, grad)


def project(w, x):
    return F.normalize(MatMul.apply(x, w.T), dim=-1)


def similarity(q, k, scale):
    return scale * MatMul.apply(q, k.T)


def session_inputs(own, session, count, salience=None):
    """s_j = normalize(sum_i softmax_i(salience(x_i)) x_i): the softmax denominator cancels in normalize."""
    logits = salience(own).squeeze(-1) if salience is not None else torch.zeros(len(own))
    weights = torch.exp(logits - logits.max())
    return F.normalize(torch.zeros(count, own.shape[1]).index_add(0, session, weights[:, None] * own), dim=-1)


def info_nce(logits, positive):
    """Symmetric multi-positive InfoNCE over rows and over the columns that have a positive."""
    def one_side(l, p):
        keep = p.any(1)
        l, p = l[keep], p[keep]
        return (torch.logsumexp(l, 1) - torch.logsumexp(l.masked_fill(~p, -1e9), 1)).mean()
    return 0.5 * (one_side(logits, positive) + one_side(logits.T, positive.T))


def losses(heads, conv, args):
    scale = heads.log_scale.clamp(0, np.log(100)).exp()
    s = session_inputs(conv['own'], conv['session'], conv['sessions'], heads.salience)
    w = heads.weight('session')
    same_session = F.one_hot(conv['session'], conv['sessions']).bool()
    loss = info_nce(similarity(project(w, conv['ctx']), project(w, s), scale[0]), same_session)
    w = heads.weight('turn')
    loss = loss + info_nce(similarity(project(w, conv['obs']), project(w, conv['ctx']), scale[1]), conv['pos'])
    if args.neighbour_weight > 0:  # the next turn of the same session as a weak positive
        q, k = project(w, conv['ctx'][:-1]), project(w, conv['ctx'][1:])
        keep = conv['session'][:-1] == conv['session'][1:]
        loss = loss + args.neighbour_weight * info_nce(similarity(q[keep], k[keep], scale[1]), torch.eye(int(keep.sum()), dtype=torch.bool))
    w = heads.weight('token')
    return loss + info_nce(similarity(project(w, conv['obs']), project(w, conv['own']), scale[2]), conv['pos'])


def train(convs, dim, args):
    torch.manual_seed(args.seed)
    heads = Heads(dim, args.seed)
    optimizer = torch.optim.Adam(heads.parameters(), lr=args.lr)
    for _ in range(args.steps):
        optimizer.zero_grad()
        loss = sum(losses(heads, conv, args) for conv in convs) / len(convs) + args.drift * heads.drift()
        loss.backward()
        optimizer.step()
    return heads


def recall_at(scores, pos, k=10):
    """LoCoMo-style evidence recall: the fraction of each query's positives in its top k, averaged."""
    top = torch.zeros_like(pos).scatter_(1, scores.topk(min(k, scores.shape[1]), dim=1).indices, True)
    return ((top & pos).sum(1).float() / pos.sum(1).clamp(min=1)).mean().item()


@torch.no_grad()
def evaluate(conv, heads, fallback):
    """Held-out metrics: trained heads vs a random orthonormal projection with uniform salience."""
    def session_acc1(w, salience):
        s = session_inputs(conv['own'], conv['session'], conv['sessions'], salience)
        return (similarity(project(w, conv['ctx']), project(w, s), 1).argmax(1) == conv['session']).float().mean().item()

    result = {}
    for name, h, sal in (('trained', heads, heads.salience), ('fallback', fallback, None)):
        result[f'{name}.session_acc1'] = session_acc1(h.weight('session'), sal)
        for scale, side in (('turn', 'ctx'), ('token', 'own')):
            w = h.weight(scale)
            result[f'{name}.{scale}_recall10'] = recall_at(similarity(project(w, conv['obs']), project(w, conv[side]), 1), conv['pos'])
    # Ablation: what the learned salience alone adds to the fallback projection.
    result['salienceOnly.session_acc1'] = session_acc1(fallback.weight('session'), heads.salience)
    return result


def write_linear(path, weight, bias=None):
    """A graph 'input' [N, in] -> 'output' [N, out] = input @ weight.T (+ bias); bytes depend only on the weights."""
    w = np.ascontiguousarray(np.asarray(weight, dtype=np.float32).T)
    inits = [numpy_helper.from_array(w, 'weight')]
    nodes = [helper.make_node('MatMul', ['input', 'weight'], ['output' if bias is None else 'product'])]
    if bias is not None:
        inits.append(numpy_helper.from_array(np.asarray(bias, dtype=np.float32), 'bias'))
        nodes.append(helper.make_node('Add', ['product', 'bias'], ['output']))
    graph = helper.make_graph(nodes, 'linear', [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', w.shape[0]])],
                              [helper.make_tensor_value_info('output', TensorProto.FLOAT, ['N', w.shape[1]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='neuromem-train-scale-heads')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def write_plain(directory, name, weight, bias=None):
    """<name>.f32: input @ weight.T (+ bias) as the [in, out] matrix, row-major little-endian float32 (the
    bytes of the ONNX initializer), then the bias [out] when there is one. Returns its heads.json entry."""
    w = np.ascontiguousarray(np.asarray(weight, dtype='<f4').T)
    data = w.tobytes() + (b'' if bias is None else np.ascontiguousarray(np.asarray(bias, dtype='<f4')).tobytes())
    with open(os.path.join(directory, f'{name}.f32'), 'wb') as f:
        f.write(data)
    entry = dict(file=f'{name}.f32', shape=list(w.shape), sha256=hashlib.sha256(data).hexdigest())
    return dict(entry, bias=True) if bias is not None else entry


def write_json(path, value):
    with open(path, 'w') as f:
        json.dump(value, f, indent=2)
        f.write('\n')


def write_heads(directory, linear, meta, onnx_directory=None):
    """linear: head name -> (weight [out, in], bias or None). Plain files + heads.json (with their
    'weights' entries) go to directory; the same heads as ONNX graphs to onnx_directory, if given."""
    if onnx_directory:
        os.makedirs(onnx_directory, exist_ok=True)
        for name, (weight, bias) in linear.items():
            write_linear(os.path.join(onnx_directory, f'{name}.onnx'), weight, bias)
        write_json(os.path.join(onnx_directory, 'heads.json'), meta)
    os.makedirs(directory, exist_ok=True)
    weights = dict(format=LINEAR_FORMAT, **{name: write_plain(directory, name, weight, bias) for name, (weight, bias) in linear.items()})
    write_json(os.path.join(directory, 'heads.json'), dict(meta, weights=weights))


def export(directory, heads, meta, onnx_directory=None):
    with torch.no_grad():
        linear = {scale: (heads.weight(scale).numpy(), None) for scale in DIMS}
        linear['salience'] = (heads.salience.weight.numpy(), heads.salience.bias.numpy())
        write_heads(directory, linear, meta, onnx_directory)


def convert_onnx(source, directory):
    """Writes the plain files for ONNX heads made by write_linear (older runs wrote only ONNX), byte for byte."""
    meta = {k: v for k, v in json.load(open(os.path.join(source, 'heads.json'))).items() if k != 'weights'}
    linear, initializers = {}, {}
    for name in ('token', 'turn', 'session', 'salience'):
        graph = onnx.load(os.path.join(source, f'{name}.onnx')).graph
        inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
        ops = [n.op_type for n in graph.node]
        if ops not in (['MatMul'], ['MatMul', 'Add']) or 'weight' not in inits:
            raise SystemExit(f'{source}/{name}.onnx is not a linear head written by this script (ops {ops})')
        linear[name] = (inits['weight'].T, inits.get('bias'))  # write_plain takes [out, in], as torch keeps it
        initializers[name] = b''.join(inits[k].astype('<f4').tobytes() for k in ('weight', 'bias') if k in inits)
    write_heads(directory, linear, meta)
    for name, expected in initializers.items():
        with open(os.path.join(directory, f'{name}.f32'), 'rb') as f:
            assert f.read() == expected, f'{name}.f32 differs from the ONNX initializers'
    print(f'plain heads from {source} -> {directory}')


def write_test_model(directory):
    """Tiny heads with known integer weights for the TypeScript tests (test-models/linear-4x3), in both formats."""
    known = lambda k: [[(k + 3 * i + j) % 5 - 2 for j in range(4)] for i in range(3)]
    linear = {'token': (known(0), None), 'turn': (known(1), None), 'session': (known(2), None), 'salience': ([[0.5, -1, 0.25, 2]], [0.125])}
    meta = dict(encoderId='test:linear-4x3', inputDimensions=4, dims={s: 3 for s in DIMS}, seed=0, trainedOn=[],
                metrics={}, command='/usr/bin/python3 tools/train/scale-heads/train_scale_heads.py --test-model packages/embeddings/test-models/linear-4x3',
                knownWeights='W_scale[i][j] = (k + 3i + j) mod 5 - 2 with k = 0 token, 1 turn, 2 session; salience w = [0.5, -1, 0.25, 2], b = 0.125')
    write_heads(directory, linear, meta, onnx_directory=directory)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--features', help='directory with features.bin + manifest.json (export-features.ts)')
    p.add_argument('--cv-out', help='where each fold\'s heads go (<cv-out>/cv/<conversation>/); outside the repo')
    p.add_argument('--artifacts', help='where the final heads trained on every conversation go (plain float32 files + heads.json)')
    p.add_argument('--onnx-out', help='also write the final heads as ONNX graphs (+ heads.json) to this directory')
    p.add_argument('--test-model', help='only write the tiny known-weights test heads to this directory')
    p.add_argument('--from-onnx', help='only convert ONNX heads in this directory to plain files (in --artifacts, default: the same directory)')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--steps', type=int, default=150)
    p.add_argument('--lr', type=float, default=2e-3)
    p.add_argument('--drift', type=float, default=0.01, help='weight of ||W - W_init||^2 (pull towards the orthonormal init)')
    p.add_argument('--neighbour-weight', type=float, default=0.0)
    p.add_argument('--threads', type=int, default=2)
    args = p.parse_args()
    if args.test_model:
        return write_test_model(args.test_model)
    if args.from_onnx:
        return convert_onnx(args.from_onnx, args.artifacts or args.from_onnx)
    torch.set_num_threads(args.threads)
    manifest, convs = load(args.features)
    dim = manifest['dimensions']
    config = dict(seed=args.seed, steps=args.steps, lr=args.lr, drift=args.drift, neighbourWeight=args.neighbour_weight)
    base = lambda ids, metrics: dict(encoderId=manifest['encoderId'], inputDimensions=dim, dims=DIMS, seed=args.seed,
                                     trainedOn=ids, training=config, metrics=metrics, command=COMMAND)
    folds, started = [], time.time()
    for held in convs:
        rest = [c for c in convs if c is not held]
        heads = train(rest, dim, args)
        fallback = Heads(dim, args.seed + 1000)
        metrics = evaluate(held, heads, fallback)
        folds.append(dict(heldOut=held['id'], **{k: round(v, 4) for k, v in metrics.items()}))
        if args.cv_out:
            export(os.path.join(args.cv_out, 'cv', held['id']), heads, base([c['id'] for c in rest], folds[-1]))
        print(f"fold {held['id']}: " + '  '.join(f'{k}={v:.3f}' for k, v in metrics.items()), flush=True)
    keys = [k for k in folds[0] if k != 'heldOut']
    mean = {k: round(float(np.mean([f[k] for f in folds])), 4) for k in keys}
    print('mean: ' + '  '.join(f'{k}={v:.3f}' for k, v in mean.items()))
    print(f'cross-validation: {time.time() - started:.1f}s')
    if args.artifacts:
        started = time.time()
        heads = train(convs, dim, args)
        export(args.artifacts, heads, base([c['id'] for c in convs], dict(protocol='leave-one-conversation-out', mean=mean, folds=folds)), args.onnx_out)
        print(f'final heads ({time.time() - started:.1f}s) -> {args.artifacts}')


if __name__ == '__main__':
    main()
