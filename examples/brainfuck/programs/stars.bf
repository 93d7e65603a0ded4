A trail of forty stars: it needs more than the sixteen cells the tape starts with

>>++++++++[<+++++>-]<          cell one is 40 (the counter) via cell two
[                              at cell k with the counter
  [>+<-]                       carry the counter to cell k plus one
  ++++++++++++++++++++++++++++++++++++++++++   and leave a star (42) in cell k
  >-                           count down
]
<[.<]                          walk back printing the trail; cell zero is 0
++++++++++.
