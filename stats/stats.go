// Package stats holds the statistics mppmap publishes about coverage: Wilson
// score intervals for shares, standardisation of predictors, and logistic
// regression fitted with gonum, with odds ratios and Wald intervals. It is
// pure: no I/O.
package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Sentinel errors, so callers can tell a data problem they can explain to a
// reader (separation, collinearity) from a numerical one with errors.Is.
var (
	// ErrSeparation: a predictor combination splits the events from the
	// non-events (completely or quasi-completely), so the maximum-likelihood
	// estimate does not exist and the coefficients run off to infinity.
	ErrSeparation = errors.New("stats: complete or quasi-complete separation")
	// ErrSingular: the information matrix X'WX cannot be inverted, which for a
	// logistic model means collinear (or constant) predictor columns.
	ErrSingular = errors.New("stats: singular information matrix (collinear columns)")
	// ErrNotConverged: Newton–Raphson did not settle within maxIterations.
	ErrNotConverged = errors.New("stats: logistic regression did not converge")
)

const (
	// maxIterations bounds Newton–Raphson; a well-posed logistic fit takes
	// well under 20 because the iteration converges quadratically.
	maxIterations = 100
	// tolerance is the largest absolute coefficient change at which the fit is
	// declared converged.
	tolerance = 1e-10
	// boundary is how close a fitted probability may come to 0 or 1 before,
	// with the likelihood still improving, we call it separation: a genuine
	// optimum almost never needs |logit| > 23.
	boundary = 1e-10
	// maxCond is the largest condition number of the equilibrated
	// information matrix we accept; beyond it the solve carries fewer than
	// ~4 significant digits and the columns are collinear for our purposes.
	maxCond = 1e12
	// maxHalvings bounds step halving when a full Newton step would lower
	// the log-likelihood (possible far from the optimum).
	maxHalvings = 30
)

// Interval is a share with its confidence interval, all in [0, 1].
type Interval struct{ Share, Low, High float64 }

// zFor returns the two-sided standard-normal critical value for confidence
// level conf, e.g. 1.959964 for 0.95. It is computed from the quantile
// function rather than typed in so any confidence level gets the exact value.
func zFor(conf float64) float64 {
	return distuv.UnitNormal.Quantile(1 - (1-conf)/2)
}

// validConf reports whether conf is a usable confidence level.
func validConf(conf float64) bool { return conf > 0 && conf < 1 }

// Wilson is the Wilson score interval of k successes out of n at confidence
// level conf (e.g. 0.95). We publish Wilson rather than the Wald interval
// because coverage shares are often near 0 or 1 and on small n, where Wald
// collapses to zero width or leaves [0, 1]. ok is false when n == 0 (no share
// to speak of), when k is outside [0, n], or when conf is outside (0, 1).
func Wilson(k, n int, conf float64) (Interval, bool) {
	if n <= 0 || k < 0 || k > n || !validConf(conf) {
		return Interval{}, false
	}
	z := zFor(conf)
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	denom := 1 + z2/nf
	centre := (p + z2/(2*nf)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	// Mathematically the bounds are inside [0, 1], and exactly 0 at k == 0
	// and 1 at k == n; clamping and pinning only remove rounding residue
	// (e.g. a Low of 3e-17 above a Share of 0).
	iv := Interval{
		Share: p,
		Low:   clamp01(centre - half),
		High:  clamp01(centre + half),
	}
	if k == 0 {
		iv.Low = 0
	}
	if k == n {
		iv.High = 1
	}
	return iv, true
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// Standardize returns (x - mean) / sd, where sd is the sample standard
// deviation (divisor n-1), together with mean and sd. The sample sd is used
// because predictors are a sample of places, and it matches R's scale(). ok
// is false (and z nil) when there are fewer than 2 values, when the values
// are all equal (sd == 0), or when the sd is not finite (NaN or ±Inf
// values), since no meaningful z-score exists then.
func Standardize(xs []float64) (z []float64, mean, sd float64, ok bool) {
	if len(xs) < 2 {
		return nil, 0, 0, false
	}
	mean, sd = stat.MeanStdDev(xs, nil)
	// Equal values can leave a rounding-sized sd (the mean of ten 0.1s is
	// not exactly 0.1), so constant input is detected directly.
	constant := true
	for _, x := range xs[1:] {
		if x != xs[0] {
			constant = false
			break
		}
	}
	if constant {
		return nil, xs[0], 0, false
	}
	if !(sd > 0) || math.IsInf(sd, 0) || math.IsNaN(mean) {
		return nil, mean, sd, false
	}
	z = make([]float64, len(xs))
	for i, x := range xs {
		z[i] = (x - mean) / sd
	}
	return z, mean, sd, true
}

// Term is one fitted coefficient.
type Term struct {
	Name          string
	Coef, SE      float64 // log-odds scale
	Z, P          float64 // Wald z and two-sided p
	OddsRatio     float64 // exp(Coef)
	CILow, CIHigh float64 // Wald interval of the odds ratio at the requested level: exp(Coef ± z·SE)
}

// Fit is a fitted logistic regression.
type Fit struct {
	Terms      []Term // intercept first, named "(intercept)"
	N          int    // rows used
	Events     int    // rows with y = 1
	LogLik     float64
	Iterations int
	Converged  bool
}

// interceptName names the first term of every Fit.
const interceptName = "(intercept)"

// Logistic fits P(y=1) = 1/(1+exp(-(b0 + X·b))) by iteratively reweighted
// least squares (Newton–Raphson with step halving). X is n rows × p columns
// without an intercept column (Logistic adds it), names has p names, y holds
// 0/1, and conf (e.g. 0.95) is the level of the odds-ratio intervals.
//
// Standard errors come from the inverse of the information matrix X'WX at
// the optimum; p values and interval critical values from the standard
// normal. All linear algebra is gonum's Cholesky on the equilibrated
// (unit-diagonal) matrix, so predictors on very different scales do not make
// a well-posed problem look singular.
//
// Errors: inconsistent dimensions, n <= p+1, y not 0/1 (naming the row), a
// non-finite X value, y without events or without non-events, conf outside
// (0, 1); ErrSeparation when fitted probabilities reach 0 or 1 (within 1e-10)
// while the log-likelihood keeps improving; ErrSingular when the information
// matrix is not invertible; ErrNotConverged when the coefficients still move
// by 1e-10 or more after 100 iterations. Only in that last case is the Fit
// returned along with the error (Converged false), so a caller can inspect
// how far it got; every other error comes with a nil Fit.
func Logistic(X [][]float64, y []float64, names []string, conf float64) (*Fit, error) {
	n, p := len(X), len(names)
	if len(y) != n {
		return nil, fmt.Errorf("stats: logistic: X has %d rows but y has %d values", n, len(y))
	}
	if !validConf(conf) {
		return nil, fmt.Errorf("stats: logistic: confidence level %v is outside (0, 1)", conf)
	}
	if n <= p+1 {
		return nil, fmt.Errorf("stats: logistic: %d rows for %d coefficients; need more than %d rows", n, p+1, p+1)
	}
	k := p + 1
	design := mat.NewDense(n, k, nil)
	events := 0
	for i, row := range X {
		if len(row) != p {
			return nil, fmt.Errorf("stats: logistic: row %d has %d columns, want %d (one per name)", i, len(row), p)
		}
		switch y[i] {
		case 0:
		case 1:
			events++
		default:
			return nil, fmt.Errorf("stats: logistic: row %d: y = %v, want 0 or 1", i, y[i])
		}
		design.Set(i, 0, 1)
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("stats: logistic: row %d, column %q: value %v is not finite", i, names[j], v)
			}
			design.Set(i, j+1, v)
		}
	}
	if events == 0 || events == n {
		return nil, fmt.Errorf("stats: logistic: %d events in %d rows; need both events and non-events", events, n)
	}

	yv := mat.NewVecDense(n, y)
	beta := mat.NewVecDense(k, nil)
	prob := mat.NewVecDense(n, nil)
	ll := logLik(design, yv, beta, prob)

	// At beta = 0 every weight is 1/4, so X'WX is X'X/4: any failure here is
	// the columns themselves being collinear, not the fit degenerating.
	var sys system
	if err := sys.factor(information(design, prob)); err != nil {
		return nil, fmt.Errorf("stats: logistic: predictors %v: %w", names, err)
	}

	fit := &Fit{N: n, Events: events}
	grad := mat.NewVecDense(k, nil)
	resid := mat.NewVecDense(n, nil)
	cand := mat.NewVecDense(k, nil)
	candProb := mat.NewVecDense(n, nil)
	for iter := 1; iter <= maxIterations; iter++ {
		// Score X'(y - p), Newton step (X'WX)^-1 · score.
		resid.SubVec(yv, prob)
		grad.MulVec(design.T(), resid)
		delta, err := sys.solve(grad)
		if err != nil {
			return nil, fmt.Errorf("stats: logistic: iteration %d: %w", iter, err)
		}

		// A full Newton step can overshoot far from the optimum; halving it
		// until the likelihood does not drop keeps the iteration monotone.
		step := 1.0
		var candLL float64
		for h := 0; ; h++ {
			cand.AddScaledVec(beta, step, delta)
			candLL = logLik(design, yv, cand, candProb)
			if candLL >= ll-1e-12*(1+math.Abs(ll)) || h == maxHalvings {
				break
			}
			step /= 2
		}
		change := step * mat.Norm(delta, math.Inf(1))
		improved := candLL > ll
		beta.CopyVec(cand)
		prob.CopyVec(candProb)
		ll = candLL
		fit.Iterations = iter

		if change < tolerance {
			fit.Converged = true
			break
		}
		if improved && atBoundary(prob) {
			return nil, fmt.Errorf("stats: logistic: iteration %d: fitted probabilities reach 0 or 1 while the log-likelihood still improves (%.6g): %w", iter, ll, ErrSeparation)
		}
		if err := sys.factor(information(design, prob)); err != nil {
			// The columns passed the check at beta = 0, so a degenerate
			// matrix now comes from weights p(1-p) collapsing: separation.
			if nearBoundary(prob, 1e-6) {
				return nil, fmt.Errorf("stats: logistic: iteration %d: %w", iter, ErrSeparation)
			}
			return nil, fmt.Errorf("stats: logistic: iteration %d: %w", iter, err)
		}
	}
	fit.LogLik = ll

	// The covariance must be the inverse information at the final
	// coefficients, not at the ones the last step started from.
	if err := sys.factor(information(design, prob)); err != nil {
		if nearBoundary(prob, 1e-6) {
			return nil, fmt.Errorf("stats: logistic: final information matrix: %w", ErrSeparation)
		}
		return nil, fmt.Errorf("stats: logistic: final information matrix: %w", err)
	}
	cov, err := sys.inverse()
	if err != nil {
		return nil, fmt.Errorf("stats: logistic: covariance: %w", err)
	}
	zc := zFor(conf)
	fit.Terms = make([]Term, k)
	for j := range k {
		name := interceptName
		if j > 0 {
			name = names[j-1]
		}
		coef := beta.AtVec(j)
		se := math.Sqrt(cov.At(j, j))
		z := coef / se
		fit.Terms[j] = Term{
			Name:      name,
			Coef:      coef,
			SE:        se,
			Z:         z,
			P:         2 * distuv.UnitNormal.CDF(-math.Abs(z)),
			OddsRatio: math.Exp(coef),
			CILow:     math.Exp(coef - zc*se),
			CIHigh:    math.Exp(coef + zc*se),
		}
	}
	if !fit.Converged {
		return fit, fmt.Errorf("stats: logistic: coefficients still moving after %d iterations: %w", maxIterations, ErrNotConverged)
	}
	return fit, nil
}

// logLik fills prob with the fitted probabilities at beta and returns the
// Bernoulli log-likelihood. It works on the linear predictor η directly
// (y·η − log(1+e^η)), which stays finite where log(p) would underflow.
func logLik(design *mat.Dense, y, beta, prob *mat.VecDense) float64 {
	n, _ := design.Dims()
	eta := mat.NewVecDense(n, nil)
	eta.MulVec(design, beta)
	ll := 0.0
	for i := range n {
		e := eta.AtVec(i)
		// log(1+e^η) = max(η,0) + log1p(e^−|η|), safe for any η.
		ll += y.AtVec(i)*e - (math.Max(e, 0) + math.Log1p(math.Exp(-math.Abs(e))))
		prob.SetVec(i, 1/(1+math.Exp(-e)))
	}
	return ll
}

// information returns X'WX with W = diag(p(1-p)), built as (√W·X)'(√W·X) so
// gonum can use a symmetric rank-k update.
func information(design *mat.Dense, prob *mat.VecDense) *mat.SymDense {
	n, k := design.Dims()
	xw := mat.NewDense(n, k, nil)
	for i := range n {
		p := prob.AtVec(i)
		s := math.Sqrt(p * (1 - p))
		for j := range k {
			xw.Set(i, j, s*design.At(i, j))
		}
	}
	info := mat.NewSymDense(k, nil)
	info.SymOuterK(1, xw.T())
	return info
}

// atBoundary reports whether some fitted probability is within boundary of
// 0 or 1.
func atBoundary(prob *mat.VecDense) bool { return nearBoundary(prob, boundary) }

func nearBoundary(prob *mat.VecDense, eps float64) bool {
	for i := range prob.Len() {
		if p := prob.AtVec(i); p < eps || p > 1-eps {
			return true
		}
	}
	return false
}

// system is a Cholesky factorisation of the equilibrated information matrix
// D^-1/2 · A · D^-1/2 (D = diag(A)). Equilibrating first means the condition
// number measures collinearity rather than the units of the predictors
// (temperature in °F next to a 0/1 dummy would otherwise look ill-posed).
type system struct {
	chol  mat.Cholesky
	scale []float64 // 1/sqrt(A_jj)
}

// factor factorises A, returning ErrSingular (wrapped) when it is not
// positive definite or too ill-conditioned to trust.
func (s *system) factor(a *mat.SymDense) error {
	k := a.SymmetricDim()
	s.scale = make([]float64, k)
	for j := range k {
		d := a.At(j, j)
		if !(d > 0) || math.IsInf(d, 0) {
			return fmt.Errorf("coefficient %d has zero information: %w", j, ErrSingular)
		}
		s.scale[j] = 1 / math.Sqrt(d)
	}
	eq := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			eq.SetSym(i, j, a.At(i, j)*s.scale[i]*s.scale[j])
		}
	}
	if !s.chol.Factorize(eq) {
		return fmt.Errorf("not positive definite: %w", ErrSingular)
	}
	if c := s.chol.Cond(); c > maxCond {
		return fmt.Errorf("condition number %.3g exceeds %.0g: %w", c, maxCond, ErrSingular)
	}
	return nil
}

// solve returns A^-1 · b.
func (s *system) solve(b *mat.VecDense) (*mat.VecDense, error) {
	k := len(s.scale)
	rhs := mat.NewVecDense(k, nil)
	for j := range k {
		rhs.SetVec(j, b.AtVec(j)*s.scale[j])
	}
	x := mat.NewVecDense(k, nil)
	if err := s.chol.SolveVecTo(x, rhs); err != nil {
		return nil, fmt.Errorf("solve: %v: %w", err, ErrSingular)
	}
	for j := range k {
		x.SetVec(j, x.AtVec(j)*s.scale[j])
	}
	return x, nil
}

// inverse returns A^-1, the covariance of the coefficients when A is the
// information matrix.
func (s *system) inverse() (*mat.SymDense, error) {
	k := len(s.scale)
	inv := mat.NewSymDense(k, nil)
	if err := s.chol.InverseTo(inv); err != nil {
		return nil, fmt.Errorf("inverse: %v: %w", err, ErrSingular)
	}
	for i := range k {
		for j := i; j < k; j++ {
			inv.SetSym(i, j, inv.At(i, j)*s.scale[i]*s.scale[j])
		}
	}
	return inv, nil
}
