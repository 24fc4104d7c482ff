package prizz

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
)

// TestSubmitMakesNoRetryOnceStopped: with the pass's stop closed, neither
// the authentication nor the order, answered 503, is retried (not even
// after the 30 s Retry-After): the order gives up at once as Retryable.
func TestSubmitMakesNoRetryOnceStopped(t *testing.T) {
	for _, busy := range []string{"POST /sicom/auth", "POST /sicom/commande/l2"} {
		t.Run(busy, func(t *testing.T) {
			f := newFakePrizz(t)
			f.Handle(busy, carriertest.Busy())
			c := newClient(t, f.URL)
			stop := make(chan struct{})
			close(stop)
			start := time.Now()
			got := c.Submit(context.Background(), l2Order(), carrier.Submission{Stop: stop})
			assert.Less(t, time.Since(start), 5*time.Second, "got a wait for Retry-After, want none once stopping")
			assert.Equal(t, carrier.Retryable, got.Class, "got %+v, want Retryable: the order surely was not processed", got)
			assert.Contains(t, got.Message, "stopping")
			assert.Equal(t, 1, f.Count(busy), "got retries of %s, want none once stopping", busy)
		})
	}
}
