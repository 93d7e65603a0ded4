A busy loop for timing: for each of the 26 letters
  count cell two down from 255 and for each turn
  move 255 units from cell three to cell four one at a time
about 8 million steps in all; then print the letters

++++++++++++++++++++++++++     cell zero  is 26
>>++++++++[<++++++++>-]<+      cell one   is 65 (A)
<
[
  >>-                          cell two is 255
  [
    >-                         cell three is 255
    [>+<-]                     move cell three into cell four
    >[-]<<                     clear cell four
    -
  ]
  <.+                          print the letter and step to the next one
  <-
]
++++++++++.
