; Arithmetic, definitions, conditionals, lists and recursion.

(define (square x) (* x x))
(display (square 12)) (newline)
(display (+ 1 2 3 4 5)) (display " ") (display (- 10)) (display " ")
(display (quotient 17 5)) (display " ") (display (remainder 17 5)) (newline)

(define (fact n)
  (if (= n 0)
      1
      (* n (fact (- n 1)))))
(display "10! = ") (display (fact 10)) (newline)

(define (fib n)
  (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display "fib 15 = ") (display (fib 15)) (newline)

(define xs (list 1 2 3 4 5 6 7 8 9 10))
(display xs) (newline)
(display (cons 0 (cdr (cdr xs)))) (newline)
(display '(a (b c) . d)) (newline)

(define (len l) (if (null? l) 0 (+ 1 (len (cdr l)))))
(display (len xs)) (newline)

(define (classify n)
  (cond ((< n 0) "negative")
        ((= n 0) "zero")
        ((< n 10) "small")
        (else "large")))
(display (list (classify -5) (classify 0) (classify 7) (classify 42))) (newline)

(let ((a 3) (b 4))
  (display (+ (square a) (square b)))
  (newline))
(display (and 1 2 #f 3)) (display " ") (display (or #f #f 7)) (display " ")
(display (and)) (display " ") (display (not 3)) (newline)
