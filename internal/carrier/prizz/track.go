package prizz

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// maxContractPages bounds how many pages of the contracts list one look-up
// reads when the search matches many contracts.
const maxContractPages = 20

// Track asks Prizz where a submitted l2 order stands, as Config.Tracking
// says: the v2 service contract whose ref_service or ref_client (by
// default) is the order's ref, or the legacy tracking call. ErrTrackingOff
// when switched off; ErrNoStatus when Prizz lists nothing for the order yet.
func (c *Client) Track(ctx context.Context, o carrier.TrackedOrder) (carrier.Status, error) {
	switch c.cfg.Tracking {
	case TrackOff:
		return carrier.Status{}, fmt.Errorf("prizz: %w", carrier.ErrTrackingOff)
	case TrackLegacy:
		return c.trackLegacy(ctx, o)
	}
	return c.trackV2(ctx, o)
}

// Contract is the part of a v2 ServiceContract tracking reads.
type Contract struct {
	ID                    json.Number `json:"id"`
	Status                string      `json:"status"` // new, staging, active, ending, terminated
	PlannedActivationDate string      `json:"planned_activation_date"`
	SoldActivationDate    string      `json:"sold_activation_date"`
	ActivationDate        string      `json:"activation_date"`
	CanceledDate          string      `json:"canceled_date"`
	CanceledReason        string      `json:"canceled_reason"`
}

func (c *Client) trackV2(ctx context.Context, o carrier.TrackedOrder) (carrier.Status, error) {
	refs := nonEmpty(o.Reference, o.Ref)
	if len(refs) == 0 {
		return carrier.Status{}, fmt.Errorf("prizz: order %s has no ref to look up: %w", o.Key, carrier.ErrNoStatus)
	}
	for page := 1; page <= maxContractPages; page++ {
		q := url.Values{"search": {refs[0]}, "page": {strconv.Itoa(page)}, "items_per_page": {strconv.Itoa(c.cfg.ContractsPageSize)}}
		req := carrier.Request{Op: "service contracts of " + refs[0], Method: http.MethodGet, Path: c.cfg.ContractsPath, Query: q, Idempotent: true}
		resp, err := c.doV2(ctx, req)
		if err != nil {
			return carrier.Status{}, fmt.Errorf("prizz: %s: %w", req.Op, err)
		}
		items, ok := carrier.FindArray(resp.Body, "items", "data")
		if !ok {
			return carrier.Status{}, fmt.Errorf("prizz: %s: no list in the answer %s", req.Op, carrier.Quote(resp.Body))
		}
		for _, raw := range items {
			var fields map[string]any
			if json.Unmarshal(raw, &fields) != nil || !c.matches(fields, refs) {
				continue
			}
			var ct Contract
			if err := json.Unmarshal(raw, &ct); err != nil {
				return carrier.Status{}, fmt.Errorf("prizz: %s: unreadable contract %s: %w", req.Op, carrier.Quote(raw), err)
			}
			return MapContract(ct), nil
		}
		if len(items) < c.cfg.ContractsPageSize {
			break
		}
	}
	return carrier.Status{}, fmt.Errorf("prizz: no service contract with ref %s yet: %w", strings.Join(refs, " or "), carrier.ErrNoStatus)
}

// matches reports whether one of the configured fields of a contract holds one of refs.
func (c *Client) matches(fields map[string]any, refs []string) bool {
	for _, f := range c.cfg.ContractRefFields {
		v, ok := fields[f].(string)
		if !ok {
			continue
		}
		for _, r := range refs {
			if strings.EqualFold(strings.TrimSpace(v), r) {
				return true
			}
		}
	}
	return false
}

// doV2 sends a v2 request with the API token, or the legacy bearer.
func (c *Client) doV2(ctx context.Context, req carrier.Request) (*carrier.Response, error) {
	if c.cfg.APIToken == "" {
		return c.do(ctx, req)
	}
	req.Header = http.Header{}
	req.Header.Set("Authorization", "Token "+c.cfg.APIToken)
	return c.http.Do(ctx, req)
}

// MapContract maps a v2 service contract to a stage: new → pending;
// staging → confirmed (scheduled with its planned or sold activation date);
// active → completed (on its activation date); ending and terminated →
// cancelled with the canceled reason, or completed when it was activated
// and never cancelled. An unknown status is stage unknown, "unknown status
// WORD: needs a look". An unreadable date is kept in the message, never
// shown as a date.
func MapContract(ct Contract) carrier.Status {
	word := strings.TrimSpace(ct.Status)
	out := carrier.Status{Word: word}
	var note string
	switch strings.ToLower(word) {
	case "new":
		out.Stage = ledger.StagePending
	case "staging":
		out.Date, note = carrier.ReadDate(firstOf(ct.PlannedActivationDate, ct.SoldActivationDate))
		out.Stage = carrier.WithDate(ledger.StageConfirmed, out.Date)
	case "active":
		out.Date, note = carrier.ReadDate(ct.ActivationDate)
		out.Stage = ledger.StageCompleted
	case "ending", "terminated":
		if ct.ActivationDate != "" && ct.CanceledDate == "" && ct.CanceledReason == "" {
			out.Date, note = carrier.ReadDate(ct.ActivationDate)
			out.Stage = ledger.StageCompleted
			break
		}
		out.Date, note = carrier.ReadDate(ct.CanceledDate)
		out.Stage = ledger.StageCancelled
		out.Message = strings.TrimSpace(ct.CanceledReason)
	default:
		out.Stage = ledger.StageUnknown
		out.Message = carrier.UnknownStatus(word)
	}
	out.Message = carrier.JoinNotes(out.Message, note)
	return out
}

// trackLegacy GETs the legacy tracking call and reads the configured
// fields, at the top level or inside the envelope's object.
func (c *Client) trackLegacy(ctx context.Context, o carrier.TrackedOrder) (carrier.Status, error) {
	ref := firstOf(o.Reference, o.Ref)
	if ref == "" {
		return carrier.Status{}, fmt.Errorf("prizz: order %s has no ref to look up: %w", o.Key, carrier.ErrNoStatus)
	}
	path := strings.ReplaceAll(c.cfg.LegacyTrackPath, "{ref}", url.PathEscape(ref))
	req := carrier.Request{Op: "tracking of " + ref, Method: http.MethodGet, Path: path, Idempotent: true}
	resp, err := c.do(ctx, req)
	if err != nil {
		var ce *carrier.Error
		if errors.As(err, &ce) && ce.Status == http.StatusNotFound {
			return carrier.Status{}, fmt.Errorf("prizz: %s: %w", req.Op, carrier.ErrNoStatus)
		}
		return carrier.Status{}, fmt.Errorf("prizz: %s: %w", req.Op, err)
	}
	word, ok := carrier.FindString(resp.Body, c.cfg.LegacyStatusField)
	if !ok {
		return carrier.Status{}, fmt.Errorf("prizz: %s: no %q in the answer %s (set carriers.prizz.legacy_status_field)",
			req.Op, c.cfg.LegacyStatusField, carrier.Quote(resp.Body))
	}
	msg, _ := carrier.FindString(resp.Body, c.cfg.LegacyMessageField)
	date, _ := carrier.FindString(resp.Body, c.cfg.LegacyDateField)
	date, note := carrier.ReadDate(date)
	return carrier.Status{Stage: carrier.WithDate(carrier.StageOf(word), date), Date: date, Word: word, Message: carrier.JoinNotes(msg, note)}, nil
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
