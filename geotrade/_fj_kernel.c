/* Exact Fisher-Jenks dynamic programme: the loops of geotrade._fisher_jenks._dp_loops in C.
 *
 * Built ahead of time into geotrade/_fj_kernel.so by hatch_build.py (at `pip install`), and
 * called through ctypes, so a fresh process needs no JIT compiler. Same arithmetic, in the
 * same order, as the numba and numpy kernels (compiled with -ffp-contract=off: no fused
 * multiply-add), hence the same optimum.
 *
 * w, s, ss: prefix sums (length m + 1) of weights, weighted shifted values and weighted
 * squared shifted values; back: k x m (row-major) first index of class q when class q ends
 * at i. Returns 0, or -1 when memory cannot be allocated.
 *
 * BSD-3-Clause, part of geotrade.
 */
#include <stdint.h>
#include <stdlib.h>
#include <math.h>

int fj_dp(const double *w, const double *s, const double *ss, int64_t m, int64_t k,
          int64_t *back)
{
    double *prev = (double *)malloc(sizeof(double) * (size_t)m);
    double *cur = (double *)malloc(sizeof(double) * (size_t)m);
    int64_t stack[256][4];
    if (prev == NULL || cur == NULL) {
        free(prev);
        free(cur);
        return -1;
    }
    for (int64_t i = 0; i < m; i++) {
        double sw = w[i + 1];
        double sx = s[i + 1];
        double c = ss[i + 1] - sx * sx / sw;
        prev[i] = c > 0.0 ? c : 0.0;
        back[i] = 0;
    }
    for (int64_t q = 1; q < k; q++) {
        int64_t *row = back + q * m;
        if (q == k - 1) {
            int64_t i = m - 1;
            double best = INFINITY;
            int64_t bj = q;
            for (int64_t j = q; j < m; j++) {
                double sw = w[i + 1] - w[j];
                double sx = s[i + 1] - s[j];
                double c = ss[i + 1] - ss[j] - sx * sx / sw;
                if (c < 0.0) c = 0.0;
                c += prev[j - 1];
                if (c < best) {
                    best = c;
                    bj = j;
                }
            }
            row[i] = bj;
            cur[i] = best;
        } else {
            int sp = 0;
            stack[0][0] = q;
            stack[0][1] = m - k + q;
            stack[0][2] = q;
            stack[0][3] = m - k + q;
            sp = 1;
            while (sp > 0) {
                sp -= 1;
                int64_t lo = stack[sp][0], hi = stack[sp][1];
                int64_t jlo = stack[sp][2], jhi = stack[sp][3];
                int64_t i = (lo + hi) / 2;
                int64_t jend = jhi < i ? jhi : i;
                double best = INFINITY;
                int64_t bj = jlo;
                double s2 = ss[i + 1], s1 = s[i + 1], w1 = w[i + 1];
                for (int64_t j = jlo; j <= jend; j++) {
                    double sw = w1 - w[j];
                    double sx = s1 - s[j];
                    double c = s2 - ss[j] - sx * sx / sw;
                    if (c < 0.0) c = 0.0;
                    c += prev[j - 1];
                    if (c < best) {
                        best = c;
                        bj = j;
                    }
                }
                cur[i] = best;
                row[i] = bj;
                if (lo <= i - 1) {
                    stack[sp][0] = lo;
                    stack[sp][1] = i - 1;
                    stack[sp][2] = jlo;
                    stack[sp][3] = bj;
                    sp += 1;
                }
                if (i + 1 <= hi) {
                    stack[sp][0] = i + 1;
                    stack[sp][1] = hi;
                    stack[sp][2] = bj;
                    stack[sp][3] = jhi;
                    sp += 1;
                }
            }
        }
        double *tmp = prev;
        prev = cur;
        cur = tmp;
    }
    free(prev);
    free(cur);
    return 0;
}
