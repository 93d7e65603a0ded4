; A benchmark: naive doubly recursive Fibonacci (non-tail calls: the host stack
; grows with the guest's) and a tail-recursive counting loop.

(define (fib n)
  (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display "fib 22 = ") (display (fib 22)) (newline)

(define (loop i acc)
  (if (= i 0) acc (loop (- i 1) (remainder (+ (* acc 31) i) 1000003))))
(display "loop 200000: ") (display (loop 200000 0)) (newline)
