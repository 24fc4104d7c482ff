package sim

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// holds are the order-creating requests held by the delay_create fault.
type holds struct {
	mu   sync.Mutex
	gate *holdGate // nil until a request is held
	n    int       // requests held now
}

// holdGate is one generation of held requests: ReleaseCreates closes
// release, then waits for done.
type holdGate struct {
	release chan struct{}
	done    sync.WaitGroup
}

func (h *holds) enter() *holdGate {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gate == nil {
		h.gate = &holdGate{release: make(chan struct{})}
	}
	h.n++
	h.gate.done.Add(1)
	return h.gate
}

func (h *holds) leave(g *holdGate) {
	h.mu.Lock()
	h.n--
	h.mu.Unlock()
	g.done.Done()
}

// serveHeld reads an order-creating request, waits (CreateDelay, or until
// ReleaseCreates or Close), then processes it as usual even if the client
// has gone away: the carrier was still creating the order.
func (s *Server) serveHeld(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		return // the request never fully arrived: nothing to create
	}
	delay := s.Faults().CreateDelay
	g := s.holds.enter()
	defer s.holds.leave(g)
	var expired <-chan time.Time
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-g.release:
	case <-expired:
	case <-s.closed:
	}
	held := r.Clone(context.WithoutCancel(r.Context()))
	held.Body = io.NopCloser(bytes.NewReader(body))
	held.ContentLength = int64(len(body))
	s.mux.ServeHTTP(w, held)
}

// HeldCreates returns how many order-creating requests the delay_create
// fault holds now (received, not yet created).
func (s *Server) HeldCreates() int {
	s.holds.mu.Lock()
	defer s.holds.mu.Unlock()
	return s.holds.n
}

// ReleaseCreates lets every held request proceed and returns once their
// orders are created and recorded (or refused), with how many were released.
func (s *Server) ReleaseCreates() int {
	s.holds.mu.Lock()
	g, n := s.holds.gate, s.holds.n
	s.holds.gate = nil
	s.holds.mu.Unlock()
	if g == nil {
		return 0
	}
	close(g.release)
	g.done.Wait()
	return n
}
