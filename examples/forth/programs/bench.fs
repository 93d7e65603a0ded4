\ A benchmark: recursive FIB (calls and returns) and nested DO loops of arithmetic.
: FIB ( n -- fib ) DUP 2 < IF EXIT THEN DUP 1- RECURSE SWAP 2 - RECURSE + ;
." fib 22 = " 22 FIB . CR
: INNER ( acc n -- acc ) 0 DO I + 65535 AND LOOP ;
: OUTER ( -- acc ) 0 300 0 DO 1000 INNER LOOP ;
." loops: " OUTER . CR
