package prizz_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

func TestMapContract(t *testing.T) {
	tests := []struct {
		name string
		ct   prizz.Contract
		want carrier.Status
	}{
		{"new", prizz.Contract{Status: "new"}, carrier.Status{Stage: ledger.StagePending, Word: "new"}},
		{"staging", prizz.Contract{Status: "staging"}, carrier.Status{Stage: ledger.StageConfirmed, Word: "staging"}},
		{"staging planned", prizz.Contract{Status: "staging", PlannedActivationDate: "2026-12-04"},
			carrier.Status{Stage: ledger.StageScheduled, Word: "staging", Date: "2026-12-04"}},
		{"staging, absurd date", prizz.Contract{Status: "staging", PlannedActivationDate: "9999-99-99"},
			carrier.Status{Stage: ledger.StageConfirmed, Word: "staging", Message: `unreadable date "9999-99-99"`}},
		{"active, absurd date", prizz.Contract{Status: "active", ActivationDate: "0000-00-00"},
			carrier.Status{Stage: ledger.StageCompleted, Word: "active", Message: `unreadable date "0000-00-00"`}},
		{"staging sold date", prizz.Contract{Status: "staging", SoldActivationDate: "2026-12-09T00:00:00+01:00"},
			carrier.Status{Stage: ledger.StageScheduled, Word: "staging", Date: "2026-12-09"}},
		{"active", prizz.Contract{Status: "active", ActivationDate: "2026-12-04"},
			carrier.Status{Stage: ledger.StageCompleted, Word: "active", Date: "2026-12-04"}},
		{"ending after activation", prizz.Contract{Status: "ending", ActivationDate: "2026-12-04"},
			carrier.Status{Stage: ledger.StageCompleted, Word: "ending", Date: "2026-12-04"}},
		{"terminated, cancelled", prizz.Contract{Status: "terminated", CanceledDate: "2026-11-30", CanceledReason: "Adresse non raccordable"},
			carrier.Status{Stage: ledger.StageCancelled, Word: "terminated", Date: "2026-11-30", Message: "Adresse non raccordable"}},
		{"terminated, never active", prizz.Contract{Status: "terminated"}, carrier.Status{Stage: ledger.StageCancelled, Word: "terminated"}},
		{"unknown", prizz.Contract{Status: "frozen"}, carrier.Status{Stage: ledger.StageUnknown, Word: "frozen", Message: "unknown status frozen: needs a look"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, prizz.MapContract(tt.ct))
		})
	}
}

func l2Order() *order.Order {
	return &order.Order{Kind: order.L2, Ref: "BX-L2-SIM", L2: &order.L2Order{
		ClientName: "Boulangerie Exemple", OfferID: 2201, OptionIDs: []int{41},
		GTRContactHO: 7101, GTRContactHNO: 7102,
		StreetNumber: "12", StreetType: "rue", StreetName: "de la Paix", ZipCode: "75002", City: "Paris",
		SiteContactName: "Paul Durand", SiteContactPhone: "+33612345678", SiteContactEmail: "paul@example.fr", SiteContactHours: "8h-17h",
		FollowContactIDs: []int{7103},
		PortRef:          "PZ-PAR-TH2-07", SiteVLANMode: order.VLANModeTagged, PortVLANMode: order.VLANModeUntagged,
		DeliveryInterface: "1000 Base LX", SiteVLAN: 120,
	}}
}

func TestTrackAgainstSandbox(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds, TrackStep: -1})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	client := func(cfg prizz.Config) *prizz.Client {
		cfg.HTTP = carrier.HTTPOptions{BaseURL: srv.URL + sim.PrizzPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond}
		cfg.Email, cfg.Password = creds.PrizzEmail, creds.PrizzPassword
		c, err := prizz.New(cfg)
		require.NoError(t, err)
		t.Cleanup(c.Close)
		return c
	}
	c := client(prizz.Config{})
	res := c.Submit(ctx, l2Order(), carrier.Submission{})
	require.Equal(t, carrier.Accepted, res.Class, res.Message)
	tracked := carrier.TrackedOrder{Key: "l2/BX-L2-SIM", Ref: "BX-L2-SIM", Reference: res.Reference}
	_, _, err := s.PushStage(res.Reference, sim.StageScheduled, "2026-12-04", "", "")
	require.NoError(t, err)

	tests := []struct {
		name string
		cfg  prizz.Config
		want carrier.Status
	}{
		{"v2 with the legacy bearer", prizz.Config{}, carrier.Status{Stage: ledger.StageScheduled, Word: "staging", Date: "2026-12-04"}},
		{"v2 with an API token", prizz.Config{APIToken: creds.PrizzAPIToken}, carrier.Status{Stage: ledger.StageScheduled, Word: "staging", Date: "2026-12-04"}},
		{"legacy", prizz.Config{Tracking: prizz.TrackLegacy}, carrier.Status{Stage: ledger.StageScheduled, Word: "Planifiée", Date: "2026-12-04"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := client(tt.cfg).Track(ctx, tracked)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}

	_, _, err = s.PushStage(res.Reference, sim.StageCancelled, "", "Adresse non raccordable", "")
	require.NoError(t, err)
	got, err := c.Track(ctx, tracked)
	require.NoError(t, err)
	assert.Equal(t, ledger.StageCancelled, got.Stage)
	assert.Equal(t, "Adresse non raccordable", got.Message)

	_, err = c.Track(ctx, carrier.TrackedOrder{Key: "l2/none", Reference: "CMD-L2-000000"})
	assert.ErrorIs(t, err, carrier.ErrNoStatus)
	_, err = client(prizz.Config{Tracking: prizz.TrackLegacy}).Track(ctx, carrier.TrackedOrder{Key: "l2/none", Reference: "CMD-L2-000000"})
	assert.ErrorIs(t, err, carrier.ErrNoStatus)
}

func TestTrackSwitchedOff(t *testing.T) {
	f := carriertest.NewFake(t)
	c, err := prizz.New(prizz.Config{HTTP: carrier.HTTPOptions{BaseURL: f.URL}, Email: "e", Password: "p", Tracking: prizz.TrackOff})
	require.NoError(t, err)
	_, err = c.Track(context.Background(), carrier.TrackedOrder{Key: "l2/x", Reference: "CMD-L2-1"})
	assert.True(t, errors.Is(err, carrier.ErrTrackingOff), "got %v", err)
	assert.Empty(t, f.Calls(), "switched off: nothing is asked")
}

// The legacy field names are configuration: a carrier answering other
// names is read once they are set.
func TestTrackLegacyConfiguredFields(t *testing.T) {
	f := carriertest.NewFake(t)
	f.Handle("POST /sicom/auth", func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) {
		_, _ = w.Write([]byte(`{"statusCode":200,"status":"OK","object":{"accessToken":"tok","expiresIn":3600}}`))
	})
	f.Handle("GET /api/orders/CMD-L2-7/state", func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) {
		_, _ = w.Write([]byte(`{"data":{"etat":"Refusée","motif":"VLAN déjà utilisé","date":""}}`))
	})
	c, err := prizz.New(prizz.Config{HTTP: carrier.HTTPOptions{BaseURL: f.URL}, Email: "e", Password: "p", Tracking: prizz.TrackLegacy,
		LegacyTrackPath: "/api/orders/{ref}/state", LegacyStatusField: "etat", LegacyMessageField: "motif", LegacyDateField: "date"})
	require.NoError(t, err)
	got, err := c.Track(context.Background(), carrier.TrackedOrder{Key: "l2/x", Reference: "CMD-L2-7"})
	require.NoError(t, err)
	assert.Equal(t, carrier.Status{Stage: ledger.StageRejected, Word: "Refusée", Message: "VLAN déjà utilisé"}, got)
}
