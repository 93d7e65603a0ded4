The alphabet: a loop of 26 turns prints a letter and counts it up

++++++++++++++++++++++++++     cell zero  is 26 (the loop counter)
>>++++++++[<++++++++>-]<+      cell one   is 65 (A) via cell two
<
[                              while cell zero is not zero
  >.+                          print cell one and step to the next letter
  <-                           count down
]
++++++++++.                    newline
