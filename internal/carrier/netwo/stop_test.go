package netwo

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
)

// TestSubmitMakesNoRetryOnceStopped: with the pass's stop closed, a step
// answered 503 is not retried (not even after the 30 s Retry-After): the
// order gives up at once as Retryable, whichever step was busy.
func TestSubmitMakesNoRetryOnceStopped(t *testing.T) {
	for _, busy := range []string{"GET /api/v1/service", "POST /api/v1/cart", "GET /api/v1/cart/cart-7/lines", "POST /api/v1/orders"} {
		t.Run(busy, func(t *testing.T) {
			f := happyNetwo(t)
			f.Handle(busy, carriertest.Busy())
			c := newClient(t, f.URL, func(cfg *Config) { cfg.HTTP.MaxRetryTime = time.Minute })
			stop := make(chan struct{})
			close(stop)
			start := time.Now()
			got := c.Submit(context.Background(), frOrder(), carrier.Submission{Stop: stop})
			assert.Less(t, time.Since(start), 5*time.Second, "got a wait for Retry-After, want none once stopping")
			assert.Equal(t, carrier.Retryable, got.Class, "got %+v, want Retryable: the order surely was not processed", got)
			assert.Contains(t, got.Message, "stopping")
			assert.Equal(t, 1, f.Count(busy), "got retries of %s, want none once stopping", busy)
		})
	}
}
