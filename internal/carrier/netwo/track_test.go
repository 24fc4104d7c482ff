package netwo_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name string
		body string
		want carrier.Status
		ok   bool
	}{
		{"top-level state", `{"order_id":"o1","state":"confirmed"}`,
			carrier.Status{Stage: ledger.StageConfirmed, Word: "confirmed"}, true},
		{"an absurd date", `{"state":"confirmed","portability_date":"99999999","message":"ok"}`,
			carrier.Status{Stage: ledger.StageConfirmed, Word: "confirmed", Message: `ok; unreadable date "99999999"`}, true},
		{"top-level status with date", `{"status":"CONFIRMED","portability_date":"2026-12-04"}`,
			carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-04"}, true},
		{"top-level state, date on the line", `{"state":"confirmed","sub_orders":[{"state":"confirmed","portability_date":"2026-12-04T10:00:00Z"}]}`,
			carrier.Status{Stage: ledger.StageScheduled, Word: "confirmed", Date: "2026-12-04"}, true},
		{"one wrapper", `{"data":{"id":"o1","state":"rejected","message":"RIO invalide"}}`,
			carrier.Status{Stage: ledger.StageRejected, Word: "rejected", Message: "RIO invalide"}, true},
		{"per line, same", `{"order_id":"o1","sub_orders":[{"state":"completed"},{"state":"completed"}]}`,
			carrier.Status{Stage: ledger.StageCompleted, Word: "completed"}, true},
		{"per line, least advanced wins", `{"lines":[{"state":"completed"},{"state":"pending"}]}`,
			carrier.Status{Stage: ledger.StagePending, Word: "completed, pending"}, true},
		{"per line, one rejected", `{"sub_orders":[{"state":"confirmed"},{"state":"rejected","message":"SIRET inconnu"}]}`,
			carrier.Status{Stage: ledger.StageRejected, Word: "confirmed, rejected", Message: "SIRET inconnu"}, true},
		{"per line in a wrapper", `{"data":{"sub_orders":[{"state":"on_hold"}]}}`,
			carrier.Status{Stage: ledger.StageOnHold, Word: "on_hold"}, true},
		{"array answer", `[{"state":"cancelled"}]`,
			carrier.Status{Stage: ledger.StageCancelled, Word: "cancelled"}, true},
		{"unknown word", `{"state":"in_progress"}`,
			carrier.Status{Stage: ledger.StagePending, Word: "in_progress"}, true},
		{"no state", `{"order_id":"o1"}`, carrier.Status{}, false},
		{"not JSON", `<html>`, carrier.Status{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := netwo.ParseStatus([]byte(tt.body))
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestTrackOffByDefault(t *testing.T) {
	f := carriertest.NewFake(t)
	c, err := netwo.New(netwo.Config{HTTP: carrier.HTTPOptions{BaseURL: f.URL}, APIKey: "k", ActorSlug: "a"})
	require.NoError(t, err)
	_, err = c.Track(context.Background(), carrier.TrackedOrder{Key: "fr-port/x", Reference: "o1"})
	assert.True(t, errors.Is(err, carrier.ErrTrackingOff), "got %v", err)
	assert.Empty(t, f.Calls())
}

func TestTrackAgainstSandbox(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds, TrackStep: -1})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := netwo.New(netwo.Config{
		HTTP:   carrier.HTTPOptions{BaseURL: srv.URL + sim.NetwoPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		APIKey: creds.NetwoAPIKey, ActorSlug: creds.NetwoActorSlug, Track: true,
	})
	require.NoError(t, err)
	defer c.Close()
	o := &order.Order{Kind: order.FrPort, Ref: "FR-SIM-1", FrPort: &order.FrPortOrder{
		IDN: "0261910210", DIDs: []string{"0261910210"},
		WantedDate: time.Now().AddDate(0, 0, 20).Truncate(time.Hour), Routing: "prefix", Prefix: "010203",
		CustomerName: "Societé Exemple", CompanyNumber: "73282932000074",
		Street: "35 rue des jeuneurs", ZipCode: "75002", City: "PARIS",
		ContactName: "Jeanne Martin", ContactEmail: "jeanne.martin@example.fr", ContactPhone: "+33601020304",
	}}
	res := c.Submit(context.Background(), o, carrier.Submission{Save: func(context.Context, carrier.Checkpoint) error { return nil }})
	require.Equal(t, carrier.Accepted, res.Class, res.Message)
	tracked := carrier.TrackedOrder{Key: "fr-port/FR-SIM-1", Reference: res.Reference}

	got, err := c.Track(context.Background(), tracked)
	require.NoError(t, err)
	assert.Equal(t, carrier.Status{Stage: ledger.StagePending, Word: "pending"}, got)

	_, _, err = s.PushStage(res.Reference, sim.StageScheduled, "2026-12-04", "", "")
	require.NoError(t, err)
	got, err = c.Track(context.Background(), tracked)
	require.NoError(t, err)
	assert.Equal(t, carrier.Status{Stage: ledger.StageScheduled, Word: "scheduled", Date: "2026-12-04"}, got)

	_, err = c.Track(context.Background(), carrier.TrackedOrder{Key: "fr-port/none", Reference: "nope"})
	assert.ErrorIs(t, err, carrier.ErrNoStatus)
}
