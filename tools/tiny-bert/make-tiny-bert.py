#!/usr/bin/env python3
"""Writes a tiny BERT-shaped model that @huggingface/transformers v3 loads fully offline (for tests).

Output (default packages/embeddings/test-models/tiny-bert/): tokenizer.json (WordPiece, HF tokenizers
format), tokenizer_config.json, special_tokens_map.json, config.json, onnx/model.onnx and weights.json
(the same weights, so tests can recompute the hidden states in plain TypeScript).

The graph, for input_ids / attention_mask / token_type_ids (int64 [batch, seq]):
    e    = word[input_ids] + position[0..seq) + token_type[token_type_ids]
    h    = LayerNorm(e) * gamma + beta                  (eps 1e-12, over the hidden axis)
    prev = h shifted one position right (zeros at position 0)
    out  = (h + tanh(h @ mix_self + prev @ mix_prev + mix_bias)) * attention_mask
Only the previous position feeds in, so right padding never changes real tokens' states.

Needs only numpy and onnx (Debian: python3-numpy python3-onnx). Deterministic: fixed seed, weights
rounded to 3 decimals so weights.json stays small and holds exactly what the ONNX file holds
(up to float32 rounding).
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20261
HIDDEN = 32
MAX_POSITIONS = 64
TYPE_VOCAB = 2
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCTUATION = list(".,!?;:'\"()[]{}-_/\\&%$#@*+=<>|~`^")
WORDS = """
the of and to a in is it you that he was for on are with as i his they be at one have this from or
had by not word but what some we can out other were all there when up use your how said an each she
which do their time if will way about many then them write would like so these her long make thing
see him two has look more day could go come did number sound no most people my over know water than
call first who may down side been now find any new work part take get place made live where after back
little only round man year came show every good me give our under name very through just form sentence
great think say help low line differ turn cause much mean before move right boy old too same tell does
set three want air well also play small end put home read hand port large spell add even land here
must big high such follow act why ask men change went light kind off need house picture try us again
animal point mother world near build self earth father head stand own page should country found answer
school grow study still learn plant cover food sun four between state keep eye never last let thought
city tree cross farm hard start might story saw far sea draw left late run while press close night real
life few north open seem together next white children begin got walk example ease paper group always
music those both mark often letter until mile river car feet care second book carry took science eat
room friend began idea fish mountain stop once base hear horse cut sure watch color face wood main
enough plain girl usual young ready above ever red list though feel talk bird soon body dog family
direct pose leave song measure door product black short class wind question happen complete ship area
half rock order fire south problem piece told knew pass since top whole king space heard best hour
better during hundred five remember step early hold west ground interest reach fast verb sing listen
six table travel less morning ten simple several toward war lay against pattern slow center love
person money serve appear road map rain rule govern pull cold notice voice unit power town fine drive
lake week painted paint sunrise tax filing deadline moved april coffee meeting doctor birthday
""".split()
SUFFIXES = ["##s", "##es", "##ed", "##ing", "##ly", "##er", "##est", "##tion", "##ment", "##ness", "##ful", "##able"]


def build_vocab():
    tokens = list(SPECIALS) + PUNCTUATION + [str(d) for d in range(10)] + [f"##{d}" for d in range(10)]
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    # Single letters (and their ## forms) let WordPiece spell any ASCII word; other scripts become [UNK].
    tokens += letters + [f"##{c}" for c in letters] + SUFFIXES
    tokens += [w for w in dict.fromkeys(WORDS) if w not in tokens]
    # Single-letter "##s" is also a suffix: ids must stay dense (0..len-1) to index the embedding table.
    tokens = list(dict.fromkeys(tokens))
    return {token: index for index, token in enumerate(tokens)}


def tokenizer_json(vocab):
    special = lambda t: {"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
    cls_sep = {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")}
    seq = lambda s, type_id: {"Sequence": {"id": s, "type_id": type_id}}
    tok = lambda t, type_id: {"SpecialToken": {"id": t, "type_id": type_id}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(t) for t in SPECIALS],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [tok("[CLS]", 0), seq("A", 0), tok("[SEP]", 0)],
            "pair": [tok("[CLS]", 0), seq("A", 0), tok("[SEP]", 0), seq("B", 1), tok("[SEP]", 1)],
            "special_tokens": cls_sep,
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab},
    }


def make_weights(vocab_size):
    rng = np.random.default_rng(SEED)
    # Word embeddings dominate, so texts sharing words land close even though nothing is trained.
    raw = {
        "word_embeddings": rng.normal(0, 1.0, (vocab_size, HIDDEN)),
        "position_embeddings": rng.normal(0, 0.2, (MAX_POSITIONS, HIDDEN)),
        "token_type_embeddings": rng.normal(0, 0.1, (TYPE_VOCAB, HIDDEN)),
        "ln_gamma": 1 + rng.normal(0, 0.1, (HIDDEN,)),
        "ln_beta": rng.normal(0, 0.05, (HIDDEN,)),
        "mix_self": rng.normal(0, 0.5 / np.sqrt(HIDDEN), (HIDDEN, HIDDEN)),
        "mix_prev": rng.normal(0, 0.5 / np.sqrt(HIDDEN), (HIDDEN, HIDDEN)),
        "mix_bias": rng.normal(0, 0.05, (HIDDEN,)),
    }
    return {name: np.round(value, 3) for name, value in raw.items()}


def make_graph(weights):
    batch_seq = ["batch_size", "sequence_length"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, batch_seq) for n in ("input_ids", "attention_mask", "token_type_ids")]
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, batch_seq + [HIDDEN])
    inits = [numpy_helper.from_array(v.astype(np.float32), name) for name, v in weights.items()]
    ints = {"zero": [0], "minus_one": [-1], "axis_seq": [1], "axis_hidden": [2], "pads": [0, 1, 0, 0, 0, 0]}
    inits += [numpy_helper.from_array(np.array(v, dtype=np.int64), n) for n, v in ints.items()]
    inits += [numpy_helper.from_array(np.array(v, dtype=np.int64), n) for n, v in {"zero_s": 0, "one_s": 1}.items()]
    N = helper.make_node
    nodes = [
        N("Gather", ["word_embeddings", "input_ids"], ["we"]),
        N("Gather", ["token_type_embeddings", "token_type_ids"], ["te"]),
        N("Shape", ["input_ids"], ["shape"]),
        N("Gather", ["shape", "one_s"], ["seq_len"], axis=0),
        N("Range", ["zero_s", "seq_len", "one_s"], ["position_ids"]),
        N("Gather", ["position_embeddings", "position_ids"], ["pe"]),
        N("Add", ["we", "te"], ["wt"]),
        N("Add", ["wt", "pe"], ["emb"]),
        N("LayerNormalization", ["emb", "ln_gamma", "ln_beta"], ["h"], axis=-1, epsilon=1e-12),
        N("Pad", ["h", "pads"], ["h_padded"], mode="constant"),
        N("Slice", ["h_padded", "zero", "minus_one", "axis_seq"], ["prev"]),
        N("MatMul", ["h", "mix_self"], ["self_part"]),
        N("MatMul", ["prev", "mix_prev"], ["prev_part"]),
        N("Add", ["self_part", "prev_part"], ["mixed"]),
        N("Add", ["mixed", "mix_bias"], ["mixed_b"]),
        N("Tanh", ["mixed_b"], ["act"]),
        N("Add", ["h", "act"], ["out"]),
        N("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        N("Unsqueeze", ["mask_f", "axis_hidden"], ["mask_3d"]),
        N("Mul", ["out", "mask_3d"], ["last_hidden_state"]),
    ]
    graph = helper.make_graph(nodes, "tiny_bert", inputs, [output], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="neuromem-tiny-bert")
    model.ir_version = 8  # onnxruntime 1.21 reads IR <= 10; onnx 1.12 writes 8
    onnx.checker.check_model(model)
    return model


def write_json(path, value, **kwargs):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, **kwargs)
        f.write("\n")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "packages", "embeddings", "test-models", "tiny-bert")
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    vocab = build_vocab()
    weights = make_weights(len(vocab))
    specials = {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
    write_json(os.path.join(out, "tokenizer.json"), tokenizer_json(vocab), separators=(",", ":"))
    write_json(os.path.join(out, "tokenizer_config.json"), {
        "tokenizer_class": "BertTokenizer", "do_lower_case": True, "tokenize_chinese_chars": True, "strip_accents": None,
        "model_max_length": MAX_POSITIONS, "clean_up_tokenization_spaces": True, **specials}, indent=2)
    write_json(os.path.join(out, "special_tokens_map.json"), specials, indent=2)
    write_json(os.path.join(out, "config.json"), {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": len(vocab), "hidden_size": HIDDEN,
        "num_hidden_layers": 1, "num_attention_heads": 1, "intermediate_size": HIDDEN, "hidden_act": "tanh",
        "max_position_embeddings": MAX_POSITIONS, "type_vocab_size": TYPE_VOCAB, "layer_norm_eps": 1e-12,
        "pad_token_id": vocab["[PAD]"]}, indent=2)
    onnx.save(make_graph(weights), os.path.join(out, "onnx", "model.onnx"))
    write_json(os.path.join(out, "weights.json"), {"seed": SEED, "layer_norm_eps": 1e-12, **{k: v.tolist() for k, v in weights.items()}}, separators=(",", ":"))
    print(f"wrote {out}: vocab {len(vocab)}, hidden {HIDDEN}, max positions {MAX_POSITIONS}")


if __name__ == "__main__":
    main()
