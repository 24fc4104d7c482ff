package sim

import (
	"encoding/json"
	"net/http"
)

// Control endpoints (no auth; the sandbox listens on loopback):
//
//	GET       /_sim/health  → 200 "ok"
//	GET       /_sim/orders  → [Order]
//	POST      /_sim/reset   → 204; clears orders, carts, tokens, ports
//	GET       /_sim/faults  → Faults
//	PUT|POST  /_sim/faults  → replaces the faults; answers the new Faults
//	GET       /_sim/held    → {"held": N}: requests held by delay_create
//	POST      /_sim/release → {"released": N}: lets them create their orders
func (s *Server) routeControl() {
	s.mux.HandleFunc("GET "+ControlPrefix+"/held", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]int{"held": s.HeldCreates()})
	})
	s.mux.HandleFunc("POST "+ControlPrefix+"/release", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]int{"released": s.ReleaseCreates()})
	})
	s.mux.HandleFunc("GET "+ControlPrefix+"/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	})
	s.mux.HandleFunc("GET "+ControlPrefix+"/orders", func(w http.ResponseWriter, _ *http.Request) {
		orders := s.Orders()
		if orders == nil {
			orders = []Order{}
		}
		writeJSON(w, http.StatusOK, orders)
	})
	s.mux.HandleFunc("POST "+ControlPrefix+"/reset", func(w http.ResponseWriter, _ *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	s.mux.HandleFunc("GET "+ControlPrefix+"/faults", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Faults())
	})
	s.mux.HandleFunc("PUT "+ControlPrefix+"/faults", s.putFaults)
	s.mux.HandleFunc("POST "+ControlPrefix+"/faults", s.putFaults)
}

func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	var f Faults
	if err := json.Unmarshal(body, &f); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if err := f.Validate(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, f)
}
