package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Faults says which failures the sandbox injects into carrier requests (the
// control endpoints are never affected). Every rate is a probability 0..1
// drawn from the seeded random stream.
//
// On the control endpoint Faults is JSON with snake_case keys; durations are
// Go duration strings ("250ms", "2s"); a bare JSON number is read as
// milliseconds.
type Faults struct {
	// Latency plus a random extra in [0, Jitter) is added to every carrier request.
	Latency time.Duration `json:"latency"`
	Jitter  time.Duration `json:"jitter"`

	// Rate429 answers 429 with Retry-After (seconds, rounded up; 0 → 1s)
	// before any processing.
	Rate429    float64       `json:"rate_429"`
	RetryAfter time.Duration `json:"retry_after"`
	// Rate503 answers 503 before any processing.
	Rate503 float64 `json:"rate_503"`

	// The following apply only to order-creating POSTs (Netwo POST /orders,
	// Prizz POST /sicom/commande/l2, the Thinktel port-in POSTs).

	// Rate500AfterCreate creates and records the order, then answers 500.
	Rate500AfterCreate float64 `json:"rate_500_after_create"`
	// RateHangAfterCreate creates and records the order, then waits Hang (0 =
	// until the client goes away or Close) before answering normally.
	RateHangAfterCreate float64       `json:"rate_hang_after_create"`
	Hang                time.Duration `json:"hang"`
	// RateDropAfterRead reads the request body, then closes the connection
	// without a response; the order is NOT created.
	RateDropAfterRead float64 `json:"rate_drop_after_read"`
	// RateDelayCreate holds the request: the sandbox reads it, then checks
	// it, creates and records the order and answers only after CreateDelay
	// (0 = until ReleaseCreates, POST /_sim/release, or Close), even when the
	// client has gone away meanwhile. Until then no lookup finds the order:
	// the carrier is still creating it.
	RateDelayCreate float64       `json:"rate_delay_create"`
	CreateDelay     time.Duration `json:"create_delay"`

	// ThinktelStatusLag: for this long after a port-in was created, its
	// PortInStatus (by number or by ticket) answers 404 while the port-in
	// dashboard already shows it. 0 = no lag.
	ThinktelStatusLag time.Duration `json:"thinktel_status_lag"`

	// Deterministic variants: the next N order-creating requests get this
	// fault. A request takes at most one, in this order of precedence.
	Next429             int `json:"next_429"`
	Next503             int `json:"next_503"`
	Next500AfterCreate  int `json:"next_500_after_create"`
	NextHangAfterCreate int `json:"next_hang_after_create"`
	NextDropAfterRead   int `json:"next_drop_after_read"`
	NextDelayCreate     int `json:"next_delay_create"`

	// BrokenPaths are carrier request paths, as the sandbox serves them
	// ("/thinktel/rest.svc/Products/TelephoneOfferings"), answered 500 every
	// time: a reference list that cannot be read.
	BrokenPaths []string `json:"broken_paths,omitempty"`
	// ThinktelProductNameText answers the Thinktel offerings with
	// ProductName as a plain string instead of {"En", "Fr"}.
	ThinktelProductNameText bool `json:"thinktel_product_name_text,omitempty"`
}

// Validate reports rates outside 0..1 and negative durations or counters.
func (f Faults) Validate() error {
	var errs []error
	for name, v := range map[string]float64{
		"rate_429": f.Rate429, "rate_503": f.Rate503, "rate_500_after_create": f.Rate500AfterCreate,
		"rate_hang_after_create": f.RateHangAfterCreate, "rate_drop_after_read": f.RateDropAfterRead,
		"rate_delay_create": f.RateDelayCreate,
	} {
		if math.IsNaN(v) || v < 0 || v > 1 {
			errs = append(errs, fmt.Errorf("%s: %v is not a probability in 0..1", name, v))
		}
	}
	for name, v := range map[string]time.Duration{
		"latency": f.Latency, "jitter": f.Jitter, "retry_after": f.RetryAfter, "hang": f.Hang,
		"create_delay": f.CreateDelay, "thinktel_status_lag": f.ThinktelStatusLag,
	} {
		if v < 0 {
			errs = append(errs, fmt.Errorf("%s: %v is negative", name, v))
		}
	}
	for name, v := range map[string]int{
		"next_429": f.Next429, "next_503": f.Next503, "next_500_after_create": f.Next500AfterCreate,
		"next_hang_after_create": f.NextHangAfterCreate, "next_drop_after_read": f.NextDropAfterRead,
		"next_delay_create": f.NextDelayCreate,
	} {
		if v < 0 {
			errs = append(errs, fmt.Errorf("%s: %d is negative", name, v))
		}
	}
	return errors.Join(errs...)
}

// jsonDuration is a time.Duration written as a Go duration string and read
// from a duration string or a number of milliseconds.
type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = jsonDuration(v)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("duration must be a string like \"250ms\" or milliseconds: %w", err)
	}
	*d = jsonDuration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

type faultsAlias Faults

// MarshalJSON writes durations as Go duration strings.
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		faultsAlias
		Latency           jsonDuration `json:"latency"`
		Jitter            jsonDuration `json:"jitter"`
		RetryAfter        jsonDuration `json:"retry_after"`
		Hang              jsonDuration `json:"hang"`
		CreateDelay       jsonDuration `json:"create_delay"`
		ThinktelStatusLag jsonDuration `json:"thinktel_status_lag"`
	}{faultsAlias(f), jsonDuration(f.Latency), jsonDuration(f.Jitter), jsonDuration(f.RetryAfter), jsonDuration(f.Hang),
		jsonDuration(f.CreateDelay), jsonDuration(f.ThinktelStatusLag)})
}

// UnmarshalJSON reads durations as Go duration strings or milliseconds and
// rejects unknown keys.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var aux struct {
		*faultsAlias
		Latency           *jsonDuration `json:"latency"`
		Jitter            *jsonDuration `json:"jitter"`
		RetryAfter        *jsonDuration `json:"retry_after"`
		Hang              *jsonDuration `json:"hang"`
		CreateDelay       *jsonDuration `json:"create_delay"`
		ThinktelStatusLag *jsonDuration `json:"thinktel_status_lag"`
	}
	var out Faults
	aux.faultsAlias = (*faultsAlias)(&out)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return fmt.Errorf("faults: %w", err)
	}
	for dst, src := range map[*time.Duration]*jsonDuration{
		&out.Latency: aux.Latency, &out.Jitter: aux.Jitter, &out.RetryAfter: aux.RetryAfter, &out.Hang: aux.Hang,
		&out.CreateDelay: aux.CreateDelay, &out.ThinktelStatusLag: aux.ThinktelStatusLag,
	} {
		if src != nil {
			*dst = time.Duration(*src)
		}
	}
	*f = out
	return nil
}

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Faults returns the faults in force (with the Next* counters left).
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// fault is what one request gets.
type fault string

const (
	faultNone        fault = ""
	fault429         fault = "429"
	fault503         fault = "503"
	fault500         fault = "500_after_create"
	faultHang        fault = "hang_after_create"
	faultDropAfterRd fault = "drop_after_read"
	faultDelayCreate fault = "delay_create"
	faultBroken      fault = "broken_path"
)

type faultKey struct{}

// faultFrom returns the after-create fault attached to the request.
func faultFrom(ctx context.Context) fault {
	f, _ := ctx.Value(faultKey{}).(fault)
	return f
}

// isCreating reports the order-creating POSTs; only they get the
// after-create and drop faults and the Next* counters.
func isCreating(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	switch r.URL.Path {
	case NetwoPrefix + "/orders",
		PrizzPrefix + "/sicom/commande/l2",
		ThinktelPrefix + "/v2/NumberPorts/Inbound/DIDs",
		ThinktelPrefix + "/v2/NumberPorts/Inbound/TollFree/DIDs",
		ThinktelPrefix + "/NumberPorts/Inbound/GeneralProducts",
		ThinktelPrefix + "/NumberPorts/Inbound/GeneralChildProducts",
		ThinktelPrefix + "/v2/NumberPorts/Inbound/ResidentialLines",
		ThinktelPrefix + "/v2/NumberPorts/Inbound/BusinessLines",
		ThinktelPrefix + "/v2/NumberPorts/Inbound/PermanentCallForwards",
		ThinktelPrefix + "/v2/NumberPorts/Inbound/TollFree/PermanentCallForwards",
		ThinktelPrefix + "/NumberPorts/Inbound/BusinessPermanentCallForwards",
		ThinktelPrefix + "/NumberPorts/Inbound/VirtualFaxes":
		return true
	}
	return false
}

// serveCarrier runs one carrier request through the fault injector and the
// carrier handlers. It returns the fault applied, for the log.
func (s *Server) serveCarrier(w http.ResponseWriter, r *http.Request, carrier string) fault {
	if slices.Contains(s.Faults().BrokenPaths, r.URL.Path) {
		s.carrierError(w, carrier, http.StatusInternalServerError, "internal server error (broken path)")
		return faultBroken
	}
	creating := isCreating(r)
	f, delay, retryAfter := s.drawFault(creating)
	if delay > 0 && !s.sleep(r.Context(), delay) {
		return f
	}
	switch f {
	case fault429:
		secs := int(math.Ceil(retryAfter.Seconds()))
		if secs < 1 {
			secs = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.carrierError(w, carrier, http.StatusTooManyRequests, "too many requests, retry later")
		return f
	case fault503:
		s.carrierError(w, carrier, http.StatusServiceUnavailable, "service temporarily unavailable")
		return f
	case faultDropAfterRd:
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxBody))
		dropConnection(w)
		return f
	case faultDelayCreate:
		s.serveHeld(w, r)
		return f
	}
	if f != faultNone {
		r = r.WithContext(context.WithValue(r.Context(), faultKey{}, f))
	}
	s.mux.ServeHTTP(w, r)
	return f
}

// drawFault decides, under the lock, the fault for one request and the
// latency to add.
func (s *Server) drawFault(creating bool) (fault, time.Duration, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &s.faults
	delay := f.Latency
	if f.Jitter > 0 {
		delay += time.Duration(s.faultRNG.Int64N(int64(f.Jitter)))
	}
	if creating {
		for _, n := range []struct {
			left *int
			kind fault
		}{
			{&f.Next429, fault429}, {&f.Next503, fault503}, {&f.Next500AfterCreate, fault500},
			{&f.NextHangAfterCreate, faultHang}, {&f.NextDropAfterRead, faultDropAfterRd},
			{&f.NextDelayCreate, faultDelayCreate},
		} {
			if *n.left > 0 {
				*n.left--
				return n.kind, delay, f.RetryAfter
			}
		}
	}
	draw := func(rate float64) bool { return rate > 0 && s.faultRNG.Float64() < rate }
	switch {
	case draw(f.Rate429):
		return fault429, delay, f.RetryAfter
	case draw(f.Rate503):
		return fault503, delay, f.RetryAfter
	case !creating:
		return faultNone, delay, f.RetryAfter
	case draw(f.RateDropAfterRead):
		return faultDropAfterRd, delay, f.RetryAfter
	case draw(f.Rate500AfterCreate):
		return fault500, delay, f.RetryAfter
	case draw(f.RateHangAfterCreate):
		return faultHang, delay, f.RetryAfter
	case draw(f.RateDelayCreate):
		return faultDelayCreate, delay, f.RetryAfter
	}
	return faultNone, delay, f.RetryAfter
}

// sleep waits d; it returns false when the client went away first. Close
// ends the wait early (and the request proceeds).
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.closed:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection closes the client connection without writing a response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// respondCreated answers an order-creating request whose order has just been
// recorded, applying an after-create fault if the request drew one.
func (s *Server) respondCreated(w http.ResponseWriter, r *http.Request, carrier string, status int, body any) {
	switch faultFrom(r.Context()) {
	case fault500:
		s.carrierError(w, carrier, http.StatusInternalServerError, "internal server error")
		return
	case faultHang:
		hang := s.Faults().Hang
		if hang > 0 {
			if !s.sleep(r.Context(), hang) {
				return
			}
		} else {
			select {
			case <-r.Context().Done():
				return
			case <-s.closed:
			}
		}
	}
	writeJSON(w, status, body)
}

// carrierError writes an error in the carrier's own shape.
func (s *Server) carrierError(w http.ResponseWriter, carrier string, status int, msg string) {
	switch carrier {
	case CarrierNetwo:
		writeJSON(w, status, netwoError{Message: msg})
	case CarrierPrizz:
		writeJSON(w, status, prizzEnvelope{StatusCode: status, Status: "KO", Message: msg})
	default:
		writeJSON(w, status, thinktelException{ID: s.newUUID(), Message: msg})
	}
}
