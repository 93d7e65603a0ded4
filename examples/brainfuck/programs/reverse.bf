Reverse a line: read bytes into cells one two three and so on until a newline
then walk back printing them; cell zero stays 0 and stops the walk

>,----------[++++++++++>,----------]
<[.<]
++++++++++.
!stressed
