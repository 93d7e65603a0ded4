\ The stack, arithmetic and output.
." Forth says hello" CR
2 3 + . 10 4 - . 6 7 * . 17 5 / . 17 5 MOD . -17 5 / . CR
1 2 3 ROT . . . CR             ( ROT brings the third item up: prints 1 3 2 )
5 DUP * . 4 7 SWAP - . 8 9 OVER . . . CR
3 4 < . 4 3 < . 0 0= . 7 NEGATE ABS . 3 9 MAX . 3 9 MIN . CR
72 EMIT 105 EMIT 33 EMIT 10 EMIT
VARIABLE counter
5 counter !  10 counter +!  counter @ . CR
100 CONSTANT hundred  hundred 2 * . CR
