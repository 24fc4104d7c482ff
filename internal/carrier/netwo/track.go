package netwo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Keys read from an order status answer, whose shape Netwo does not publish.
var (
	stateKeys   = []string{"state", "status"}
	dateKeys    = []string{"portability_date", "scheduled_date", "date_portabilite", "wanted_date", "due_date"}
	messageKeys = []string{"message", "state_reason", "reason", "comment"}
	lineKeys    = []string{"sub_orders", "lines", "order_lines", "items"}
)

// Track asks Netwo where a submitted fr-port order stands: GET TrackPath
// with the order_id. ErrTrackingOff unless Config.Track; ErrNoStatus when
// Netwo answers 404.
func (c *Client) Track(ctx context.Context, o carrier.TrackedOrder) (carrier.Status, error) {
	if !c.cfg.Track {
		return carrier.Status{}, fmt.Errorf("netwo: %w", carrier.ErrTrackingOff)
	}
	if o.Reference == "" {
		return carrier.Status{}, fmt.Errorf("netwo: order %s has no order_id: %w", o.Key, carrier.ErrNoStatus)
	}
	path := strings.ReplaceAll(c.cfg.TrackPath, "{order_id}", url.PathEscape(o.Reference))
	req := carrier.Request{Op: "status of order " + o.Reference, Method: http.MethodGet, Path: path, Idempotent: true}
	resp, err := c.do(ctx, req)
	var ce *carrier.Error
	if errors.As(err, &ce) && ce.Status == http.StatusNotFound {
		return carrier.Status{}, fmt.Errorf("netwo: %s: %w", req.Op, carrier.ErrNoStatus)
	}
	if err != nil {
		return carrier.Status{}, fmt.Errorf("netwo: %s: %w", req.Op, err)
	}
	st, ok := ParseStatus(resp.Body)
	if !ok {
		return carrier.Status{}, fmt.Errorf("netwo: %s: no state or status in the answer %s (check carriers.netwo.track_path)", req.Op, carrier.Quote(resp.Body))
	}
	return st, nil
}

// ParseStatus reads an order status answer tolerantly: a state (or status)
// field on the top-level object; else one per line (sub_orders, lines…),
// the least advanced line giving the order's stage (any rejected or held
// line wins); else inside one wrapper object. Words map through
// carrier.StageOf; a date makes a confirmed order scheduled.
func ParseStatus(body []byte) (carrier.Status, bool) {
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&top) == nil {
		if word := text(top, stateKeys); word != "" {
			st := status(word, text(top, dateKeys), text(top, messageKeys))
			lines := lineStatuses(top)
			if st.Date == "" || st.Message == "" {
				for _, l := range lines { // a top-level state with the date or message on the line
					st.Date = firstNonEmpty(st.Date, l.Date)
					st.Message = firstNonEmpty(st.Message, l.Message)
				}
				st.Stage = carrier.WithDate(carrier.StageOf(word), st.Date)
			}
			return st, true
		}
		if lines := lineStatuses(top); len(lines) > 0 {
			return combine(lines), true
		}
	}
	word, ok := carrier.FindString(body, stateKeys...)
	if !ok {
		return carrier.Status{}, false
	}
	date, _ := carrier.FindString(body, dateKeys...)
	msg, _ := carrier.FindString(body, messageKeys...)
	return status(word, date, msg), true
}

func status(word, date, msg string) carrier.Status {
	date, note := carrier.ReadDate(date)
	return carrier.Status{Stage: carrier.WithDate(carrier.StageOf(word), date), Date: date, Word: word, Message: carrier.JoinNotes(msg, note)}
}

// lineStatuses reads the state of every line of the first line list found,
// at the top level or one wrapper down.
func lineStatuses(top map[string]any) []carrier.Status {
	candidates := []map[string]any{top}
	for _, v := range top {
		if m, ok := v.(map[string]any); ok {
			candidates = append(candidates, m)
		}
	}
	for _, obj := range candidates {
		for _, k := range lineKeys {
			arr, ok := obj[k].([]any)
			if !ok {
				continue
			}
			var out []carrier.Status
			for _, e := range arr {
				if m, ok := e.(map[string]any); ok {
					if word := text(m, stateKeys); word != "" {
						out = append(out, status(word, text(m, dateKeys), text(m, messageKeys)))
					}
				}
			}
			if len(out) > 0 {
				return out
			}
		}
	}
	return nil
}

// rank orders stages for combining lines: the first in this list wins.
var rank = []ledger.Stage{ledger.StageRejected, ledger.StageOnHold, ledger.StagePending, ledger.StageConfirmed,
	ledger.StageScheduled, ledger.StageCompleted, ledger.StageCancelled}

// combine is the order's status from its lines': the first-ranked stage,
// with the words of the lines joined when they differ.
func combine(lines []carrier.Status) carrier.Status {
	best := lines[0]
	pos := func(s ledger.Stage) int {
		for i, r := range rank {
			if r == s {
				return i
			}
		}
		return len(rank)
	}
	words := []string{lines[0].Word}
	for _, l := range lines[1:] {
		if pos(l.Stage) < pos(best.Stage) {
			best = l
		}
		if !slices.Contains(words, l.Word) {
			words = append(words, l.Word)
		}
	}
	// Completed lines next to cancelled ones: the order was delivered.
	if best.Stage == ledger.StageCancelled {
		for _, l := range lines {
			if l.Stage == ledger.StageCompleted {
				best = l
				break
			}
		}
	}
	best.Word = strings.Join(words, ", ")
	return best
}

func text(m map[string]any, keys []string) string {
	for _, k := range keys {
		for mk, v := range m {
			if !strings.EqualFold(mk, k) {
				continue
			}
			switch x := v.(type) {
			case string:
				if s := strings.TrimSpace(x); s != "" {
					return s
				}
			case json.Number:
				return x.String()
			}
		}
	}
	return ""
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
