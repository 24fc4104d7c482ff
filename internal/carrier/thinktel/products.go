package thinktel

import (
	"github.com/orderdrop/orderdrop/internal/order"
)

// Port-in endpoints.
const (
	pathDIDs                  = "/v2/NumberPorts/Inbound/DIDs"
	pathTollFreeDIDs          = "/v2/NumberPorts/Inbound/TollFree/DIDs"
	pathGeneralProducts       = "/NumberPorts/Inbound/GeneralProducts"
	pathGeneralChildProducts  = "/NumberPorts/Inbound/GeneralChildProducts"
	pathResidentialLines      = "/v2/NumberPorts/Inbound/ResidentialLines"
	pathBusinessLines         = "/v2/NumberPorts/Inbound/BusinessLines"
	pathPermanentCallForwards = "/v2/NumberPorts/Inbound/PermanentCallForwards"
	pathTollFreePCFs          = "/v2/NumberPorts/Inbound/TollFree/PermanentCallForwards"
	pathBusinessPCFs          = "/NumberPorts/Inbound/BusinessPermanentCallForwards"
	pathVirtualFaxes          = "/NumberPorts/Inbound/VirtualFaxes"
)

// secondLocaleNone is SecondLocale "None".
const secondLocaleNone = 9

// didOrder is NumberPortOrderDIDV2 / NumberPortTollFreeOrderDIDV2.
type didOrder struct {
	PilotNumber int64        `json:"PilotNumber"`
	DIDs        []didRequest `json:"DIDs"`
	PortForm    any          `json:"PortForm"`
}

// didRequest is DidRequestV2.
type didRequest struct {
	Number int64  `json:"Number"`
	Label  string `json:"Label,omitempty"`
}

// generalProductOrder is NumberPortOrderGeneralProduct (type 1).
type generalProductOrder struct {
	OfferingID string `json:"OfferingID"`
	PortForm   any    `json:"PortForm"`
}

// generalChildProductOrder is NumberPortOrderGeneralChildProduct (type 2).
type generalChildProductOrder struct {
	OfferingID           string `json:"OfferingID"`
	ParentSubscriptionID string `json:"ParentSubscriptionID"`
	PortForm             any    `json:"PortForm"`
}

// linesOrder is NumberPortOrderResidentialLineV2 / BusinessLineV2 (types 3, 4).
type linesOrder struct {
	Lines    any `json:"Lines"`
	PortForm any `json:"PortForm"`
}

// numberRequest is NumberRequest.
type numberRequest struct {
	Number int64 `json:"Number"`
}

// residentialLine is ResidentialLineOrder.
type residentialLine struct {
	Account      int64         `json:"Account"`
	Enabled      bool          `json:"Enabled"`
	Label        string        `json:"Label,omitempty"`
	Locale       int64         `json:"Locale"`
	Number       numberRequest `json:"Number"`
	PlanID       string        `json:"PlanID"`
	SecondLocale int64         `json:"SecondLocale"`
}

// businessLine is BusinessLineOrder.
type businessLine struct {
	Account         int64         `json:"Account"`
	BusinessGroupID string        `json:"BusinessGroupID"`
	Enabled         bool          `json:"Enabled"`
	Label           string        `json:"Label,omitempty"`
	Locale          int64         `json:"Locale"`
	Number          numberRequest `json:"Number"`
	PlanID          string        `json:"PlanID"`
	SecondLocale    int64         `json:"SecondLocale"`
}

// forwardsOrder is NumberPortOrderPermanentCallForwardV2 and its toll-free variant (type 5).
type forwardsOrder struct {
	Forwards []callForward `json:"Forwards"`
	PortForm any           `json:"PortForm"`
}

// callForward is PermanentCallForwardOrderV2.
type callForward struct {
	Account                     int64         `json:"Account"`
	CallForwardingNumber        int64         `json:"CallForwardingNumber"`
	Enabled                     bool          `json:"Enabled"`
	Label                       string        `json:"Label,omitempty"`
	Number                      numberRequest `json:"Number"`
	PCFProvisioningInstructions string        `json:"PCFProvisioningInstructions"`
	PlanID                      string        `json:"PlanID"`
}

// businessForwardsOrder is NumberPortOrderBusinessPermanentCallForward (type 6).
type businessForwardsOrder struct {
	BusinessGroupSubscriptionID string             `json:"BusinessGroupSubscriptionID"`
	ForwardingInstructions      []forwardingDetail `json:"ForwardingInstructions"`
	OfferingID                  string             `json:"OfferingID"`
	PortForm                    any                `json:"PortForm"`
}

// forwardingDetail is ForwardingDetail.
type forwardingDetail struct {
	ForwardingTN int64 `json:"ForwardingTN"`
	TN           int64 `json:"TN"`
}

// virtualFaxOrder is NumberPortOrderVirtualFax (type 7).
type virtualFaxOrder struct {
	FaxEmail   string `json:"FaxEmail"`
	OfferingID string `json:"OfferingID"`
	PortForm   any    `json:"PortForm"`
}

// missing names the first product column an offering type needs that the
// order lacks ("" when complete). Column names follow the ca-port sheet.
func missing(typ int, ca *order.CaPortOrder) string {
	need := map[int][]struct {
		col string
		ok  bool
	}{
		TypeGeneralChildProduct: {{"parent_subscription_id", ca.ParentSubscriptionID != ""}},
		TypeResidentialLine:     {{"account", ca.Account != 0}, {"plan_id", ca.PlanID != ""}},
		TypeBusinessLine:        {{"account", ca.Account != 0}, {"plan_id", ca.PlanID != ""}, {"business_group_id", ca.BusinessGroupID != ""}},
		TypePermanentCallForward: {{"account", ca.Account != 0}, {"plan_id", ca.PlanID != ""},
			{"forwarding_number", ca.ForwardingNumber != 0}, {"pcf_instructions", ca.PCFInstructions != ""}},
		TypeBusinessPermanentCallForward: {{"business_group_subscription_id", ca.BusinessGroupSubscriptionID != ""},
			{"forwarding_number", ca.ForwardingNumber != 0}},
		TypeVirtualFax: {{"fax_email", ca.FaxEmail != ""}},
	}
	for _, n := range need[typ] {
		if !n.ok {
			return n.col
		}
	}
	return ""
}

// productBody builds the endpoint and body of a new-service port-in.
func productBody(o *order.Order, off Offering) (string, any) {
	ca := o.CaPort
	form := newForm(o)
	switch off.Type {
	case TypeGeneralProduct:
		return pathGeneralProducts, generalProductOrder{OfferingID: off.OfferingID, PortForm: form}
	case TypeGeneralChildProduct:
		return pathGeneralChildProducts, generalChildProductOrder{OfferingID: off.OfferingID, ParentSubscriptionID: ca.ParentSubscriptionID, PortForm: form}
	case TypeResidentialLine:
		lines := make([]residentialLine, 0, len(ca.Numbers))
		for _, n := range ca.Numbers {
			lines = append(lines, residentialLine{Account: ca.Account, Enabled: true, Label: ca.Labels[n], Locale: ca.Locale,
				Number: numberRequest{Number: n}, PlanID: ca.PlanID, SecondLocale: secondLocaleNone})
		}
		return pathResidentialLines, linesOrder{Lines: lines, PortForm: form}
	case TypeBusinessLine:
		lines := make([]businessLine, 0, len(ca.Numbers))
		for _, n := range ca.Numbers {
			lines = append(lines, businessLine{Account: ca.Account, BusinessGroupID: ca.BusinessGroupID, Enabled: true,
				Label: ca.Labels[n], Locale: ca.Locale, Number: numberRequest{Number: n}, PlanID: ca.PlanID, SecondLocale: secondLocaleNone})
		}
		return pathBusinessLines, linesOrder{Lines: lines, PortForm: form}
	case TypePermanentCallForward:
		fwd := make([]callForward, 0, len(ca.Numbers))
		for _, n := range ca.Numbers {
			fwd = append(fwd, callForward{Account: ca.Account, CallForwardingNumber: ca.ForwardingNumber, Enabled: true,
				Label: ca.Labels[n], Number: numberRequest{Number: n}, PCFProvisioningInstructions: ca.PCFInstructions, PlanID: ca.PlanID})
		}
		path := pathPermanentCallForwards
		if ca.TollFree {
			path = pathTollFreePCFs
		}
		return path, forwardsOrder{Forwards: fwd, PortForm: form}
	case TypeBusinessPermanentCallForward:
		instr := make([]forwardingDetail, 0, len(ca.Numbers))
		for _, n := range ca.Numbers {
			instr = append(instr, forwardingDetail{ForwardingTN: ca.ForwardingNumber, TN: n})
		}
		return pathBusinessPCFs, businessForwardsOrder{BusinessGroupSubscriptionID: ca.BusinessGroupSubscriptionID,
			ForwardingInstructions: instr, OfferingID: off.OfferingID, PortForm: form}
	case TypeVirtualFax:
		return pathVirtualFaxes, virtualFaxOrder{FaxEmail: ca.FaxEmail, OfferingID: off.OfferingID, PortForm: form}
	}
	return "", nil
}

// didBody builds the endpoint and body of a port-in onto an existing SIP trunk.
func didBody(o *order.Order) (string, any) {
	ca := o.CaPort
	dids := make([]didRequest, 0, len(ca.Numbers))
	for _, n := range ca.Numbers {
		dids = append(dids, didRequest{Number: n, Label: ca.Labels[n]})
	}
	path := pathDIDs
	if ca.TollFree {
		path = pathTollFreeDIDs
	}
	return path, didOrder{PilotNumber: ca.PilotNumber, DIDs: dids, PortForm: newForm(o)}
}
