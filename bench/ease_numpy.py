"""Times numpy's EASE on the binary matrix the bench writes, for the bench's comparison column only
(never a dependency of the project: the bench skips it when python3 or numpy is missing).

Input: a file of little-endian int32 values: n_users, n_items, then per user its item count and its
item indices. Prints one JSON line: {"items": n, "seconds": median fit time, "runs": k, "threads": ...}.
Fit = Gram matrix (by scipy.sparse when it is installed, else dense), numpy.linalg.inv,
B = −P / diag(P) with a zero diagonal. Timed from the sparse user rows, as the harness's fit is.
"""
import json
import os
import sys
import time

import numpy as np

path, l2, runs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
raw = np.fromfile(path, dtype="<i4")
n_users, n_items = int(raw[0]), int(raw[1])
rows, cols = [], []
p = 2
for u in range(n_users):
    k = int(raw[p])
    rows.append(np.full(k, u))
    cols.append(raw[p + 1 : p + 1 + k])
    p += 1 + k
rows, cols = np.concatenate(rows), np.concatenate(cols)

try:
    import scipy.sparse as sp

    def gram():
        x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_users, n_items))
        return (x.T @ x).toarray()
except ImportError:
    def gram():
        x = np.zeros((n_users, n_items))
        x[rows, cols] = 1.0
        return x.T @ x

times = []
for _ in range(runs):
    t0 = time.perf_counter()
    g = gram()
    g[np.diag_indices(n_items)] += l2
    inv = np.linalg.inv(g)
    b = inv / (-np.diag(inv))
    np.fill_diagonal(b, 0.0)
    times.append(time.perf_counter() - t0)
    del g, inv, b
times.sort()
print(json.dumps(dict(items=n_items, seconds=times[len(times) // 2], runs=runs,
                      threads=os.environ.get("OPENBLAS_NUM_THREADS", "default"))))
