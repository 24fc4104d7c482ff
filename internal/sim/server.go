// Package sim is the carrier sandbox: one http.Handler that serves the Netwo,
// Prizz Telecom and Thinktel ordering APIs under their own path prefixes,
// validates requests the way the carrier documentation describes, records
// every order it creates and injects faults on demand (latency, 429, 503,
// 500 or a hang after the order was created, a dropped connection).
//
// It is a test and demo tool: it listens on loopback, keeps everything in
// memory and never talks to a real carrier.
package sim

import (
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Path prefixes of the three carrier APIs and of the control endpoints.
const (
	NetwoPrefix    = "/netwo/api/v1"
	PrizzPrefix    = "/prizz"
	ThinktelPrefix = "/thinktel/rest.svc"
	ControlPrefix  = "/_sim"
)

// Carrier names used in Order.Carrier.
const (
	CarrierNetwo    = "netwo"
	CarrierPrizz    = "prizz"
	CarrierThinktel = "thinktel"
)

// maxBody bounds every request body (a letter of authorization is sent
// base64-encoded inside the JSON, so allow a few MiB).
const maxBody = 32 << 20

// Options configure a Server.
type Options struct {
	// Seed makes fault injection and generated references reproducible; 0 = 1.
	Seed int64
	// Credentials the sandbox accepts; the zero value means DefaultCredentials().
	Credentials Credentials
	// Faults injected from the start; change them later with SetFaults.
	Faults Faults
	// TokenTTL is the lifetime of a Prizz access token; 0 = 1h.
	TokenTTL time.Duration
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now is the sandbox clock for order stages; nil = time.Now. POST
	// /_sim/clock moves it forward.
	Now func() time.Time
	// TrackStep is how long a created order stays at each stage before it
	// moves on (pending → scheduled → completed); 0 = 24h, negative = never
	// on its own (only POST /_sim/track moves it).
	TrackStep time.Duration
}

// Credentials are the secrets each simulated carrier accepts.
type Credentials struct {
	NetwoAPIKey      string
	NetwoActorSlug   string
	PrizzEmail       string
	PrizzPassword    string
	ThinktelUser     string
	ThinktelPassword string
	PrizzAPIToken    string // v2 "Authorization: Token …" (service contracts)
}

// DefaultCredentials returns the credentials the sandbox accepts when none
// are configured.
func DefaultCredentials() Credentials {
	return Credentials{
		NetwoAPIKey:      "sim-netwo-key",
		NetwoActorSlug:   "sim-actor",
		PrizzEmail:       "ops@orderdrop.example",
		PrizzPassword:    "sim-prizz-password",
		ThinktelUser:     "sim-thinktel",
		ThinktelPassword: "sim-thinktel-password",
		PrizzAPIToken:    "sim-prizz-token",
	}
}

// Order is one order the sandbox created.
type Order struct {
	Carrier   string          `json:"carrier"`   // netwo | prizz | thinktel
	Reference string          `json:"reference"` // the carrier reference returned (order_id, ref, TicketMask)
	Path      string          `json:"path"`      // request path, e.g. /netwo/api/v1/orders
	Body      json.RawMessage `json:"body"`      // the request body as received (compacted JSON)
	Time      time.Time       `json:"time"`
}

// Server is the sandbox. It is an http.Handler; all state lives here,
// protected by mu.
type Server struct {
	creds    Credentials
	tokenTTL time.Duration
	log      *slog.Logger
	mux      *http.ServeMux
	data     referenceData // read-only after New

	closeOnce sync.Once
	closed    chan struct{} // closed by Close: releases hung handlers and sleeps
	holds     holds         // requests held by the delay_create fault

	mu       sync.Mutex
	faults   Faults
	idRNG    *rand.Rand // references and ids
	faultRNG *rand.Rand // fault draws, kept apart so faults do not shift references
	orders   []Order
	usedRefs map[string]bool
	carts    map[string]*netwoCart
	tokens   map[string]time.Time // Prizz access token → expiry
	ports    []*thinktelPort
	tracks   map[string]*simTrack // carrier reference → its stage over time
	now      func() time.Time
	offset   time.Duration // added to now by POST /_sim/clock
	step     time.Duration
}

// New returns a sandbox seeded with the reference data of the public
// fixtures (see data.go).
func New(opts Options) *Server {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	creds := opts.Credentials
	if creds == (Credentials{}) {
		creds = DefaultCredentials()
	}
	ttl := opts.TokenTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{
		creds:    creds,
		tokenTTL: ttl,
		log:      logger,
		data:     newReferenceData(),
		closed:   make(chan struct{}),
		faults:   opts.Faults,
		idRNG:    rand.New(rand.NewPCG(uint64(seed), 0x6f72646572)),     // "order"
		faultRNG: rand.New(rand.NewPCG(uint64(seed), 0x6661756c74730a)), // "faults"
		now:      opts.Now,
		step:     opts.TrackStep,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.step == 0 {
		s.step = 24 * time.Hour
	}
	s.resetLocked()
	s.mux = http.NewServeMux()
	s.routeNetwo()
	s.routePrizz()
	s.routeThinktel()
	s.routeControl()
	s.routeTracking()
	return s
}

// ServeHTTP serves the three carrier APIs and the control endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	carrier := carrierOf(r.URL.Path)
	if carrier == "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &statusRecorder{ResponseWriter: w}
	start := time.Now()
	fault := s.serveCarrier(rec, r, carrier)
	level := slog.LevelDebug
	if fault != faultNone || rec.status >= http.StatusBadRequest {
		level = slog.LevelInfo
	}
	s.log.Log(r.Context(), level, "request", "carrier", carrier, "method", r.Method, "path", r.URL.Path,
		"status", rec.status, "fault", string(fault), "duration", time.Since(start))
}

// Orders returns every order created, in creation order.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, len(s.orders))
	copy(out, s.orders)
	return out
}

// Reset clears created orders, carts, tokens and ports; the reference data,
// the faults and the random streams are kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

func (s *Server) resetLocked() {
	s.orders = nil
	s.usedRefs = map[string]bool{}
	s.carts = map[string]*netwoCart{}
	s.tokens = map[string]time.Time{}
	s.ports = nil
	s.tracks = map[string]*simTrack{}
}

// Close releases every handler that is hanging or sleeping on injected
// latency. It does not close listeners; the caller owns the http.Server.
// Close is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
}

// record stores a created order. Call with s.mu held.
func (s *Server) recordLocked(carrier, ref string, r *http.Request, body []byte) {
	s.orders = append(s.orders, Order{
		Carrier:   carrier,
		Reference: ref,
		Path:      r.URL.Path,
		Body:      compactJSON(body),
		Time:      time.Now().UTC(),
	})
	s.tracks[ref] = &simTrack{Carrier: carrier, Reference: ref, Created: s.clockLocked()}
}

func carrierOf(path string) string {
	switch {
	case strings.HasPrefix(path, NetwoPrefix+"/") || path == NetwoPrefix:
		return CarrierNetwo
	case strings.HasPrefix(path, PrizzPrefix+"/"):
		return CarrierPrizz
	case strings.HasPrefix(path, ThinktelPrefix+"/"):
		return CarrierThinktel
	}
	return ""
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// statusRecorder remembers the status for the request log and lets
// http.ResponseController reach the underlying writer (for Hijack).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
