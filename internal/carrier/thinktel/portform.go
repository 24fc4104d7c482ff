package thinktel

import (
	"encoding/base64"

	"github.com/orderdrop/orderdrop/internal/order"
)

// formCommon holds the fields NumberPortOrderFormV2 and
// NumberPortTollFreeOrderFormV2 share. Required fields are always sent;
// optional ones are omitted when empty.
type formCommon struct {
	CustomerName              string           `json:"CustomerName"`
	CustomerAccountNumber     string           `json:"CustomerAccountNumber"`
	CustomerStreetNumber      string           `json:"CustomerStreetNumber"`
	CustomerStreetName        string           `json:"CustomerStreetName"`
	CustomerUnit              string           `json:"CustomerUnit,omitempty"`
	CustomerCity              string           `json:"CustomerCity"`
	CustomerProvince          string           `json:"CustomerProvince"`
	CustomerPostalCode        string           `json:"CustomerPostalCode"`
	CustomerCountry           string           `json:"CustomerCountry"`
	EmailAddress              string           `json:"EmailAddress"`
	CurrentProvider           int32            `json:"CurrentProvider,omitempty"`
	CurrentReseller           string           `json:"CurrentReseller,omitempty"`
	NumbersToPort             []int64          `json:"NumbersToPort"`
	RequestedPortDate         string           `json:"RequestedPortDate,omitempty"`
	RequestedPortTime         string           `json:"RequestedPortTime,omitempty"`
	CustomerReferenceNumber   string           `json:"CustomerReferenceNumber,omitempty"`
	SubmitterFirstName        string           `json:"SubmitterFirstName,omitempty"`
	SubmitterLastName         string           `json:"SubmitterLastName,omitempty"`
	SubmitterPhoneNumber      int64            `json:"SubmitterPhoneNumber,omitempty"`
	CommentsPortTeam          string           `json:"CommentsPortTeam,omitempty"`
	FileLetterOfAuthorization []base64FileJSON `json:"FileLetterOfAuthorization,omitempty"`
}

// portForm is NumberPortOrderFormV2 (regular numbers).
type portForm struct {
	formCommon
	NumbersToRemain []int64 `json:"NumbersToRemain,omitempty"`
}

// tollFreeForm is NumberPortTollFreeOrderFormV2: no NumbersToRemain,
// NumbersToDisconnect, ChangePilotNumber or PRI fields.
type tollFreeForm struct {
	formCommon
}

// base64FileJSON is Base64EncodedFile.
type base64FileJSON struct {
	FileName       string `json:"FileName"`
	ContentType    string `json:"ContentType"`
	Base64Contents string `json:"Base64Contents"`
}

func newFormCommon(o *order.Order) formCommon {
	ca := o.CaPort
	f := ca.Form
	ref := f.CustomerReferenceNumber
	if ref == "" {
		ref = o.Ref
	}
	fc := formCommon{
		CustomerName: f.CustomerName, CustomerAccountNumber: f.CustomerAccountNumber,
		CustomerStreetNumber: f.CustomerStreetNumber, CustomerStreetName: f.CustomerStreetName,
		CustomerUnit: f.CustomerUnit, CustomerCity: f.CustomerCity, CustomerProvince: f.CustomerProvince,
		CustomerPostalCode: f.CustomerPostalCode, CustomerCountry: f.CustomerCountry, EmailAddress: f.EmailAddress,
		NumbersToPort:     append([]int64{}, ca.Numbers...),
		RequestedPortDate: f.RequestedPortDate, RequestedPortTime: f.RequestedPortTime,
		CustomerReferenceNumber: ref,
		SubmitterFirstName:      f.SubmitterFirstName, SubmitterLastName: f.SubmitterLastName,
		SubmitterPhoneNumber: f.SubmitterPhoneNumber,
		CommentsPortTeam:     f.Comments,
	}
	if f.CurrentProvider != 0 {
		fc.CurrentProvider = f.CurrentProvider
	} else {
		fc.CurrentReseller = f.CurrentReseller
	}
	if ca.LOA != nil {
		fc.FileLetterOfAuthorization = []base64FileJSON{{
			FileName: ca.LOA.FileName, ContentType: ca.LOA.ContentType,
			Base64Contents: base64.StdEncoding.EncodeToString(ca.LOA.Content),
		}}
	}
	return fc
}

// newForm returns the PortForm of o: the toll-free form when o is toll-free.
func newForm(o *order.Order) any {
	fc := newFormCommon(o)
	if o.CaPort.TollFree {
		return tollFreeForm{formCommon: fc}
	}
	return portForm{formCommon: fc, NumbersToRemain: o.CaPort.Form.NumbersToRemain}
}
