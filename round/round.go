// Package round is the one rounding rule of every published figure: half away from zero, shares
// in percent to one decimal, every other derived figure (paces, ratios, medians, kilometres) to
// two. The figures layer rounds once; the API publishes the rounded value and the pages format it
// with as many decimals, so both surfaces show the same number.
package round

import "math"

// Pct rounds a share in percent to one decimal (12.35 → 12.4).
func Pct(x float64) float64 { return half(x, 10) }

// Figure rounds any other derived figure to two decimals (0.125 → 0.13).
func Figure(x float64) float64 { return half(x, 100) }

// half rounds x·scale half away from zero. Adding a tiny relative epsilon first keeps values
// whose decimal form ends in 5 but whose binary form sits just below it (2.675 is
// 2.67499999…) rounding up, as a person reading the decimal expects.
func half(x, scale float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v := x * scale
	v += math.Copysign(math.Abs(v)*1e-12, v)
	return math.Round(v) / scale
}
