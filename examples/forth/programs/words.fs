\ User-defined words: conditionals, loops, recursion and the return stack.

: SQUARE ( n -- n*n ) DUP * ;
: CUBE ( n -- n^3 ) DUP SQUARE * ;
." squares and cubes: " 7 SQUARE . 3 CUBE . CR

: FACT ( n -- n! ) DUP 1 > IF DUP 1- RECURSE * ELSE DROP 1 THEN ;
." 10! = " 10 FACT . CR

: FIB ( n -- fib ) DUP 2 < IF EXIT THEN DUP 1- RECURSE SWAP 2 - RECURSE + ;
: FIBS ( n -- ) 0 DO I FIB . LOOP ;
." fib: " 15 FIBS CR

\ A multiplication table with nested DO loops: J is the outer index.
: TABLE ( n -- ) DUP 1+ 1 DO  DUP 1+ 1 DO I J * . LOOP CR  LOOP DROP ;
4 TABLE

\ BEGIN ... UNTIL and BEGIN ... WHILE ... REPEAT
: COUNTDOWN ( n -- ) BEGIN DUP . 1- DUP 0= UNTIL DROP ." liftoff" CR ;
5 COUNTDOWN
: COLLATZ ( n -- steps ) 0 SWAP BEGIN DUP 1 > WHILE
    DUP 2 MOD IF 3 * 1+ ELSE 2 / THEN SWAP 1+ SWAP REPEAT DROP ;
." collatz 27: " 27 COLLATZ . CR

\ The return stack as scratch space: >R parks a value, R> takes it back.
: SUM-OF-SQUARES ( a b -- a*a+b*b ) >R SQUARE R> SQUARE + ;
." 3^2 + 4^2 = " 3 4 SUM-OF-SQUARES . CR

\ A variable updated by a word, and a GCD written with BEGIN WHILE REPEAT.
VARIABLE calls
: GCD ( a b -- gcd ) 1 calls +!  BEGIN DUP WHILE SWAP OVER MOD REPEAT DROP ;
." gcd 1071 462 = " 1071 462 GCD . ." gcd 36 84 = " 36 84 GCD . ." calls: " calls @ . CR
: STARS ( n -- ) 0 DO 42 EMIT LOOP ;
: TRIANGLE ( n -- ) 1+ 1 DO I STARS CR LOOP ;
4 TRIANGLE
