; Tail calls: the loop below runs 100000 turns. A call in tail position replaces the
; current expression inside the evaluator's loop, so the host stack does not grow.

(define (sum-to i acc)
  (if (= i 0)
      acc
      (sum-to (- i 1) (remainder (+ acc i) 1000003))))
(display "sum of 1..100000 mod 1000003: ") (display (sum-to 100000 0)) (newline)

; Mutual recursion, through if, and and not: also tail calls.
(define (even? n) (if (= n 0) #t (odd? (- n 1))))
(define (odd? n) (and (not (= n 0)) (even? (- n 1))))
(display "10000 is even: ") (display (even? 10000)) (newline)
(display "7777 is even: ") (display (even? 7777)) (newline)

; A loop that builds a list in an accumulator, then walks it with another loop.
(define (count-up i n acc)
  (cond ((= i n) acc)
        (else (count-up (+ i 1) n (cons i acc)))))
(define (length-of l n)
  (if (null? l) n (length-of (cdr l) (+ n 1))))
(display "a list of ") (display (length-of (count-up 0 5000 '()) 0))
(display " cells") (newline)
