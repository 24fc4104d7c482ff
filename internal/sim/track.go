package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Tracking: every order the sandbox creates moves through stages over the
// sandbox clock (Options.Now plus what POST /_sim/clock added): pending for
// one TrackStep, then scheduled (for two steps after creation), then
// completed. POST /_sim/track pushes an order to any stage. Each carrier
// shows the stage in its own words:
//
//	Thinktel  GET /thinktel/rest.svc/v2/NumberPorts/Inbound/Tickets/{ticket}/PortInStatus (and …/Numbers/{tn}/…)
//	          SUBMITTED|PENDING, CONFIRMED + PortDate, COMPLETED, REJECTED + RejectReason/Summary/Details, CANCELLED, HOLD
//	Prizz v2  GET /prizz/external-api/v2/service_contracts?search=REF&page=&items_per_page= (Token or Bearer)
//	          new, staging (+ planned_activation_date), active (+ activation_date), terminated (+ canceled_reason)
//	Prizz     GET /prizz/sicom/suivi/{ref} (Bearer, legacy; the real path is unknown)
//	          envelope{object{ref, statut, commentaire, dateMiseEnService}}
//	Netwo     GET /netwo/api/v1/orders/{order_id}
//	          {order_id, state, sub_orders[{state, portability_date}]}
//
// Control (no auth):
//
//	GET  /_sim/track  → [Track]
//	POST /_sim/track  {"reference", "stage", "date"?, "reason"?, "status"?} → Track; 404 for an unknown reference
//	POST /_sim/clock  {"advance": "48h"} → {"now"}

// Stages the control endpoint accepts (orderdrop's normalised stages).
const (
	StagePending   = "pending"
	StageConfirmed = "confirmed"
	StageScheduled = "scheduled"
	StageCompleted = "completed"
	StageRejected  = "rejected"
	StageCancelled = "cancelled"
	StageOnHold    = "on_hold"
)

var simStages = []string{StagePending, StageConfirmed, StageScheduled, StageCompleted, StageRejected, StageCancelled, StageOnHold}

// simTrack is the stage of one created order.
type simTrack struct {
	Carrier   string    `json:"carrier"`
	Reference string    `json:"reference"`
	Created   time.Time `json:"created"` // sandbox clock
	// Pushed by POST /_sim/track; "" = follow the clock.
	Forced string `json:"forced,omitempty"`
	Date   string `json:"date,omitempty"`   // YYYY-MM-DD
	Reason string `json:"reason,omitempty"` // for rejected / cancelled / on_hold
	Status string `json:"status,omitempty"` // the carrier's word, overriding the stage's usual one
}

// Track is an order's current stage, as GET /_sim/track shows it.
type Track struct {
	Carrier   string `json:"carrier"`
	Reference string `json:"reference"`
	Stage     string `json:"stage"`
	Date      string `json:"date,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Status    string `json:"status,omitempty"`
}

// clockLocked is the sandbox clock. Call with s.mu held.
func (s *Server) clockLocked() time.Time { return s.now().Add(s.offset).UTC() }

// AdvanceClock moves the sandbox clock forward by d.
func (s *Server) AdvanceClock(d time.Duration) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
	return s.clockLocked()
}

// stageLocked computes t's stage at the sandbox clock. Call with s.mu held.
func (s *Server) stageLocked(t *simTrack) Track {
	out := Track{Carrier: t.Carrier, Reference: t.Reference, Date: t.Date, Reason: t.Reason, Status: t.Status}
	if t.Forced != "" {
		out.Stage = t.Forced
		return out
	}
	if s.step < 0 {
		out.Stage = StagePending
		return out
	}
	age := s.clockLocked().Sub(t.Created)
	due := t.Created.Add(2 * s.step).Format(time.DateOnly)
	switch {
	case age < s.step:
		out.Stage = StagePending
	case age < 2*s.step:
		out.Stage, out.Date = StageScheduled, due
	default:
		out.Stage, out.Date = StageCompleted, due
	}
	return out
}

// PushStage sets the stage of the order with this carrier reference, as
// POST /_sim/track does. ok is false when the reference is unknown.
func (s *Server) PushStage(ref, stage, date, reason, status string) (Track, bool, error) {
	if !slices.Contains(simStages, stage) {
		return Track{}, false, fmt.Errorf("stage %q: want one of %s", stage, strings.Join(simStages, ", "))
	}
	if date != "" {
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return Track{}, false, fmt.Errorf("date %q: want YYYY-MM-DD", date)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tracks[ref]
	if !ok {
		return Track{}, false, nil
	}
	if date == "" && (stage == StageScheduled || stage == StageCompleted) {
		date = s.clockLocked().Add(72 * time.Hour).Format(time.DateOnly)
		if stage == StageCompleted {
			date = s.clockLocked().Format(time.DateOnly)
		}
	}
	t.Forced, t.Date, t.Reason, t.Status = stage, date, reason, status
	return s.stageLocked(t), true, nil
}

// Tracks returns the current stage of every created order, oldest first.
func (s *Server) Tracks() []Track {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Track, 0, len(s.tracks))
	for _, o := range s.orders {
		if t, ok := s.tracks[o.Reference]; ok {
			out = append(out, s.stageLocked(t))
		}
	}
	return out
}

func (s *Server) routeTracking() {
	s.mux.HandleFunc("GET "+ControlPrefix+"/track", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Tracks())
	})
	s.mux.HandleFunc("POST "+ControlPrefix+"/track", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Reference, Stage, Date, Reason, Status string }
		body, err := readBody(r)
		if err == nil {
			err = json.Unmarshal(body, &req)
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		t, ok, err := s.PushStage(req.Reference, req.Stage, req.Date, req.Reason, req.Status)
		switch {
		case err != nil:
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		case !ok:
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no order with reference " + strconv.Quote(req.Reference)})
		default:
			writeJSON(w, http.StatusOK, t)
		}
	})
	s.mux.HandleFunc("POST "+ControlPrefix+"/clock", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Advance string }
		body, err := readBody(r)
		if err == nil {
			err = json.Unmarshal(body, &req)
		}
		var d time.Duration
		if err == nil {
			d, err = time.ParseDuration(req.Advance)
		}
		if err == nil && d < 0 {
			err = fmt.Errorf("advance %q: the clock only moves forward", req.Advance)
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]time.Time{"now": s.AdvanceClock(d)})
	})
	s.mux.Handle("GET "+PrizzPrefix+"/external-api/v2/service_contracts", s.prizzV2Auth(s.prizzContracts))
	s.mux.Handle("GET "+PrizzPrefix+"/sicom/suivi/{ref}", s.prizzBearer(s.prizzLegacyTrack))
	s.mux.Handle("GET "+NetwoPrefix+"/orders/{id}", s.netwoAuth(s.netwoOrder))
}

// thinktelTrackedLocked puts the port's current stage into st. Call with
// s.mu held.
func (s *Server) thinktelTrackedLocked(st *thinktelPortInStatus) {
	t, ok := s.tracks[st.TicketID]
	if !ok {
		return
	}
	cur := s.stageLocked(t)
	if cur.Date != "" {
		st.PortDate = strings.ReplaceAll(cur.Date, "-", "")
	}
	switch cur.Stage {
	case StagePending: // keep SUBMITTED or PENDING as created
	case StageConfirmed:
		st.Status = "CONFIRMED"
	case StageScheduled:
		st.Status = "CONFIRMED"
	case StageCompleted:
		st.Status = "COMPLETED"
	case StageRejected:
		st.Status = "REJECTED"
		st.RejectReason = "Losing carrier rejected the request"
		st.RejectSummary = orDefault(cur.Reason, "End user name does not match the losing carrier's records")
		st.RejectDetails = []map[string]string{{"RJCT CODE": "6P", "RJCT REMARKS": "NAME MISMATCH", "FLD ABBR": "NAME", "FORM": "EU"}}
	case StageCancelled:
		st.Status = "CANCELLED"
	case StageOnHold:
		st.Status = "HOLD"
	}
	if cur.Status != "" {
		st.Status = cur.Status
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// prizzV2Auth accepts the v2 API token ("Token …") or a legacy bearer token.
func (s *Server) prizzV2Auth(next http.HandlerFunc) http.Handler {
	bearer := s.prizzBearer(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token "); ok {
			if !equal(tok, s.creds.PrizzAPIToken) {
				prizzFail(w, http.StatusUnauthorized, "invalid token")
				return
			}
			next(w, r)
			return
		}
		bearer.ServeHTTP(w, r)
	})
}

type prizzContract struct {
	ID                    int     `json:"id"`
	Status                string  `json:"status"`
	RefClient             string  `json:"ref_client"`
	RefService            string  `json:"ref_service"`
	SubscriptionDate      string  `json:"subscription_date"`
	PlannedActivationDate *string `json:"planned_activation_date"`
	ActivationDate        *string `json:"activation_date"`
	CanceledDate          *string `json:"canceled_date"`
	CanceledReason        *string `json:"canceled_reason"`
}

// prizzContracts lists the service contracts of the L2 orders, filtered by
// ?search= (a substring of ref_client or ref_service) and paginated.
func (s *Server) prizzContracts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage := atoiOr(q.Get("page"), 1), atoiOr(q.Get("items_per_page"), 30)
	if page < 1 || perPage < 1 || perPage > 100 {
		prizzFail(w, http.StatusBadRequest, "page must be ≥ 1 and items_per_page between 1 and 100")
		return
	}
	search := q.Get("search")
	s.mu.Lock()
	var all []prizzContract
	for i, o := range s.orders {
		if o.Carrier != CarrierPrizz {
			continue
		}
		t, ok := s.tracks[o.Reference]
		if !ok {
			continue
		}
		var req struct {
			NomClient string `json:"nomClient"`
		}
		_ = json.Unmarshal(o.Body, &req)
		c := prizzContract{ID: 1000 + i, RefClient: req.NomClient, RefService: o.Reference,
			SubscriptionDate: t.Created.Format(time.DateOnly)}
		if search != "" && !strings.Contains(c.RefClient, search) && !strings.Contains(c.RefService, search) {
			continue
		}
		cur := s.stageLocked(t)
		date := ptr(cur.Date)
		switch cur.Stage {
		case StagePending:
			c.Status = "new"
		case StageConfirmed, StageOnHold:
			c.Status = "staging"
		case StageScheduled:
			c.Status, c.PlannedActivationDate = "staging", date
		case StageCompleted:
			c.Status, c.ActivationDate = "active", date
		case StageRejected, StageCancelled:
			c.Status, c.CanceledDate = "terminated", ptr(s.clockLocked().Format(time.DateOnly))
			c.CanceledReason = ptr(orDefault(cur.Reason, "Adresse non raccordable"))
		}
		if cur.Status != "" {
			c.Status = cur.Status
		}
		all = append(all, c)
	}
	s.mu.Unlock()
	total := len(all)
	from := min((page-1)*perPage, total)
	to := min(from+perPage, total)
	items := all[from:to]
	if items == nil {
		items = []prizzContract{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"pagination": map[string]int{"page": page, "items_per_page": perPage, "total_items": total, "page_count": (total + perPage - 1) / perPage},
		"items":      items,
	})
}

// prizzLegacyTrack answers the legacy tracking call (path unknown publicly).
func (s *Server) prizzLegacyTrack(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	s.mu.Lock()
	t, ok := s.tracks[ref]
	var cur Track
	if ok && t.Carrier == CarrierPrizz {
		cur = s.stageLocked(t)
	}
	s.mu.Unlock()
	if !ok || t.Carrier != CarrierPrizz {
		prizzFail(w, http.StatusNotFound, "commande inconnue")
		return
	}
	words := map[string]string{StagePending: "En cours", StageConfirmed: "Validée", StageScheduled: "Planifiée",
		StageCompleted: "Mise en service", StageRejected: "Refusée", StageCancelled: "Annulée", StageOnHold: "Bloquée"}
	obj := map[string]string{"ref": ref, "statut": orDefault(cur.Status, words[cur.Stage]), "commentaire": cur.Reason}
	if cur.Date != "" {
		obj["dateMiseEnService"] = cur.Date
	}
	writeJSON(w, http.StatusOK, prizzEnvelope{StatusCode: http.StatusOK, Status: "OK", Object: obj})
}

// netwoOrder answers GET /orders/{id} (not public at Netwo; our guess).
func (s *Server) netwoOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	t, ok := s.tracks[id]
	var cur Track
	if ok && t.Carrier == CarrierNetwo {
		cur = s.stageLocked(t)
	}
	s.mu.Unlock()
	if !ok || t.Carrier != CarrierNetwo {
		writeJSON(w, http.StatusNotFound, netwoError{Message: "order " + id + " not found"})
		return
	}
	state := orDefault(cur.Status, cur.Stage)
	line := map[string]any{"state": state}
	if cur.Date != "" {
		line["portability_date"] = cur.Date
	}
	if cur.Reason != "" {
		line["message"] = cur.Reason
	}
	writeJSON(w, http.StatusOK, map[string]any{"order_id": id, "state": state, "sub_orders": []any{line}})
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func atoiOr(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
