The benchmark of bench dot bf ten times over: about 85 million steps
for timing compiled code; prints the alphabet on ten lines

>>>>>++++++++++                cell five is 10 (the repeat counter)
[
  <<<<<                        back to cell zero
  ++++++++++++++++++++++++++   cell zero  is 26
  >>++++++++[<++++++++>-]<+    cell one   is 65 (A)
  <
  [
    >>-                        cell two is 255
    [
      >-                       cell three is 255
      [>+<-]                   move cell three into cell four
      >[-]<<                   clear cell four
      -
    ]
    <.+                        print the letter and step to the next one
    <-
  ]
  ++++++++++.[-]               newline
  >[-]<                        clear cell one
  >>>>>-                       count the repeat down
]
