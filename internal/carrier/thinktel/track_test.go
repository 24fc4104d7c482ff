package thinktel_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

func TestMapStatus(t *testing.T) {
	tests := []struct {
		status, date string
		want         carrier.Status
	}{
		{"PENDING", "", carrier.Status{Stage: ledger.StagePending, Word: "PENDING"}},
		{"SUBMITTED", "20261201", carrier.Status{Stage: ledger.StagePending, Word: "SUBMITTED", Date: "2026-12-01"}},
		{"CONFIRMED", "", carrier.Status{Stage: ledger.StageConfirmed, Word: "CONFIRMED"}},
		{"CONFIRMED", "20261201", carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-01"}},
		{"CONFIRMEDwDATECHANGE", "20261208", carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMEDwDATECHANGE", Date: "2026-12-08", Message: "confirmed with a changed date"}},
		{"CONFIRMEDwEXCEPTION", "20261201", carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMEDwEXCEPTION", Date: "2026-12-01", Message: "confirmed with an exception: check the port in uControl"}},
		{"RESCHEDULED", "20261215", carrier.Status{Stage: ledger.StageScheduled, Word: "RESCHEDULED", Date: "2026-12-15", Message: "rescheduled"}},
		{"COMPLETED", "20261201", carrier.Status{Stage: ledger.StageCompleted, Word: "COMPLETED", Date: "2026-12-01"}},
		{"HOLD", "", carrier.Status{Stage: ledger.StageOnHold, Word: "HOLD"}},
		{"CANCELLATIONPENDING", "", carrier.Status{Stage: ledger.StageOnHold, Word: "CANCELLATIONPENDING", Message: "a cancellation is pending"}},
		{"PARTIALCANCELLATION", "", carrier.Status{Stage: ledger.StageCancelled, Word: "PARTIALCANCELLATION", Message: "some numbers were cancelled: check which in uControl"}},
		{"CANCELLED", "20261201", carrier.Status{Stage: ledger.StageCancelled, Word: "CANCELLED"}},
		{"FULLCANCELLATION", "", carrier.Status{Stage: ledger.StageCancelled, Word: "FULLCANCELLATION"}},
		{"EXPIRED", "", carrier.Status{Stage: ledger.StageCancelled, Word: "EXPIRED", Message: "the request expired"}},
		{"REJECTED", "20261201", carrier.Status{Stage: ledger.StageRejected, Word: "REJECTED", Message: "rejected without a reason: see uControl; what to do: " + carrier.UnknownHint}},
		{"SOMETHINGNEW", "", carrier.Status{Stage: ledger.StageUnknown, Word: "SOMETHINGNEW", Message: "unknown status SOMETHINGNEW: needs a look"}},
		{"CONFIRMED", "99999999", carrier.Status{Stage: ledger.StageConfirmed, Word: "CONFIRMED", Message: `unreadable date "99999999"`}},
		{"RESCHEDULED", "20261345", carrier.Status{Stage: ledger.StageConfirmed, Word: "RESCHEDULED", Message: `rescheduled; unreadable date "20261345"`}},
	}
	for _, tt := range tests {
		t.Run(tt.status+"/"+tt.date, func(t *testing.T) {
			got := thinktel.MapStatus(&thinktel.PortInStatus{Status: tt.status, PortDate: tt.date})
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMapStatusRejectionDetails(t *testing.T) {
	st := &thinktel.PortInStatus{
		Status:        "REJECTED",
		Disputing:     true,
		RejectReason:  "Losing carrier rejected the request",
		RejectSummary: "End user name does not match",
		RejectDetails: []map[string]string{
			{"RJCT CODE": "6P", "RJCT REMARKS": "NAME MISMATCH", "FLD ABBR": "NAME", "FORM": "EU"},
			{"REMARKS": "call the losing carrier", "PORTED #": "4165550120", "X EXTRA": "kept"},
		},
	}
	got := thinktel.MapStatus(st)
	assert.Equal(t, ledger.StageRejected, got.Stage)
	assert.Equal(t, "Losing carrier rejected the request; End user name does not match; "+
		"RJCT CODE 6P, RJCT REMARKS NAME MISMATCH, FLD ABBR NAME, FORM EU; "+
		"PORTED # 4165550120, REMARKS call the losing carrier, X EXTRA kept; the rejection is being disputed; what to do: customer_name must be written exactly as on the losing carrier's bill (legal name, same spelling): correct it and drop the row again (the to-fix file holds it)", got.Message)
}

func TestTrackAgainstSandbox(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds, TrackStep: -1})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := thinktel.New(thinktel.Config{
		HTTP:     carrier.HTTPOptions{BaseURL: srv.URL + sim.ThinktelPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		Username: creds.ThinktelUser, Password: creds.ThinktelPassword,
	})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	form := order.PortForm{
		CustomerName: "Maple Dental Clinic", CustomerAccountNumber: "ACC-88812",
		CustomerStreetNumber: "150", CustomerStreetName: "King Street West",
		CustomerCity: "Toronto", CustomerProvince: "ON", CustomerPostalCode: "M5H 1J9", CustomerCountry: "CA",
		EmailAddress: "porting@maple.example", CurrentProvider: 311, CustomerReferenceNumber: "CA-SIM-1",
	}
	res := c.Submit(ctx, &order.Order{Kind: order.CaPort, Ref: "CA-SIM-1", CaPort: &order.CaPortOrder{
		PilotNumber: 4165550100, Numbers: []int64{4165550111}, Form: form,
	}}, carrier.Submission{})
	require.Equal(t, carrier.Accepted, res.Class, res.Message)
	tracked := carrier.TrackedOrder{Key: "ca-port/CA-SIM-1", Reference: res.Reference, Fields: map[string]string{"numbers": "4165550111"}}

	got, err := c.Track(ctx, tracked)
	require.NoError(t, err)
	assert.Equal(t, carrier.Status{Stage: ledger.StagePending, Word: "SUBMITTED"}, got)

	_, _, err = s.PushStage(res.Reference, sim.StageScheduled, "2026-12-04", "", "")
	require.NoError(t, err)
	got, err = c.Track(ctx, tracked)
	require.NoError(t, err)
	assert.Equal(t, carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-04"}, got)

	_, _, err = s.PushStage(res.Reference, sim.StageRejected, "", "Account number mismatch", "")
	require.NoError(t, err)
	got, err = c.Track(ctx, tracked)
	require.NoError(t, err)
	assert.Equal(t, ledger.StageRejected, got.Stage)
	assert.Contains(t, got.Message, "Account number mismatch")
	assert.Contains(t, got.Message, "RJCT CODE 6P")

	// Unknown ticket: the number's port-in is another request (another
	// ticket), so nothing is recorded for this one.
	byNumber := tracked
	byNumber.Reference = "PI-9999999"
	_, err = c.Track(ctx, byNumber)
	assert.ErrorIs(t, err, carrier.ErrNoStatus)
	assert.ErrorContains(t, err, res.Reference)

	// Neither ticket nor number known.
	_, err = c.Track(ctx, carrier.TrackedOrder{Key: "k", Reference: "PI-9999999", Fields: map[string]string{"numbers": "4165550199"}})
	assert.ErrorIs(t, err, carrier.ErrNoStatus)
}

// A corrected port resubmitted for the same numbers is not found by its
// ticket yet (thinktel_status_lag): the lookup by number finds the old,
// rejected request, whose rejection must not be recorded for the new one.
func TestTrackByNumberIgnoresAnotherRequest(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds, TrackStep: -1})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := thinktel.New(thinktel.Config{
		HTTP:     carrier.HTTPOptions{BaseURL: srv.URL + sim.ThinktelPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		Username: creds.ThinktelUser, Password: creds.ThinktelPassword,
	})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	submit := func(ref string) string {
		form := order.PortForm{
			CustomerName: "Maple Dental Clinic", CustomerAccountNumber: "ACC-88812",
			CustomerStreetNumber: "150", CustomerStreetName: "King Street West",
			CustomerCity: "Toronto", CustomerProvince: "ON", CustomerPostalCode: "M5H 1J9", CustomerCountry: "CA",
			EmailAddress: "porting@maple.example", CurrentProvider: 311, CustomerReferenceNumber: ref,
		}
		res := c.Submit(ctx, &order.Order{Kind: order.CaPort, Ref: ref, CaPort: &order.CaPortOrder{
			PilotNumber: 4165550100, Numbers: []int64{4165550122}, Form: form,
		}}, carrier.Submission{})
		require.Equal(t, carrier.Accepted, res.Class, res.Message)
		return res.Reference
	}
	old := submit("CA-OLD")
	_, _, err = s.PushStage(old, sim.StageRejected, "", "Account number mismatch", "")
	require.NoError(t, err)
	// The old request is older than the lag, the new one younger: only
	// the old one is found, and only by number.
	time.Sleep(300 * time.Millisecond)
	s.SetFaults(sim.Faults{ThinktelStatusLag: 250 * time.Millisecond})
	corrected := submit("CA-NEW")

	_, err = c.Track(ctx, carrier.TrackedOrder{Key: "ca-port/CA-NEW", Ref: "CA-NEW", Reference: corrected,
		Fields: map[string]string{"numbers": "4165550122"}})
	require.ErrorIs(t, err, carrier.ErrNoStatus, "the old request's rejection was taken for the corrected one's")
	assert.ErrorContains(t, err, old)

	// An order without a ticket cannot be matched either.
	_, err = c.Track(ctx, carrier.TrackedOrder{Key: "ca-port/CA-X", Fields: map[string]string{"numbers": "4165550122"}})
	assert.ErrorIs(t, err, carrier.ErrNoStatus)
}
