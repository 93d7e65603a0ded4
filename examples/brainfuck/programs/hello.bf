Hello World in brainfuck

A multiplication loop of eight turns sets four cells at once
  cell one   8 times 9  is 72  (H)
  cell two   8 times 13 is 104 (h)
  cell three 8 times 6  is 48  (0)
  cell four  8 times 4  is 32  (space)
++++++++[>+++++++++>+++++++++++++>++++++>++++<<<<-]

Then each letter is a few steps away from one of them
>.                         H
>---.                      e
+++++++..                  l l
+++.                       o
>----.                     comma
>.                         space
<<<+++++++++++++++.        W
>.                         o
+++.                       r
------.                    l
--------.                  d
>>+.                       exclamation mark
<[-]++++++++++.            newline (clear the cell then count to ten)
