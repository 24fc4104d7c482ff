package sheet_test

import (
	"fmt"
	"log"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

func ExampleOpen() {
	wb, err := sheet.Open("testdata/example.csv", sheet.Options{})
	if err != nil {
		log.Fatal(err)
	}
	t := wb.Sheets[0]
	fmt.Printf("delimiter %q, encoding %s\n", wb.Delimiter, wb.Encoding)
	fmt.Println(t.Header)
	r := t.Records[1]
	fmt.Printf("row %d: %q\n", r.Num, r.Cells)
	// Output:
	// delimiter ';', encoding utf-8
	// [order_ref idn customer_name]
	// row 3: ["A-2" "0353012100" "Brasserie du Beffroi"]
}
