"""PyTorch twins of trustgrad's pieces, shared by the Python scripts of the repo.

The reference generators (`packages/*/src/**/reference/make-*-reference.py`)
and the torch bench scripts (`packages/*/bench/torch_*.py`) import from here,
so the model a tfjs test or bench compares with is defined once:

- `models`: the zoo's FMNIST CNN (`fmnistCnn()` of core-tensor).
- `reference_mlp`: the fixed small MLP the attack reference JSONs describe
  (`referenceMlp()` of adversarial-trainer's `src/testing/attack-fixtures.ts`).
- `pgd`: PGD-L∞ with a uniform random start (Madry et al. 2018).
- `serve`: the stdin timing protocol the tfjs benches speak to a torch child.

A script finds this folder from its own path:
`sys.path.insert(0, str(Path(__file__).resolve().parents[N] / "tooling" / "python"))`
(N: how many folders up the repo root is).
"""
