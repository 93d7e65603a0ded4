; Closures: each call of make-counter gets its own frame, which set! updates.

(define (make-counter)
  (let ((n 0))
    (lambda ()
      (set! n (+ n 1))
      n)))
(define c1 (make-counter))
(define c2 (make-counter))
(c1) (c1) (c1)
(c2)
(display (list (c1) (c2))) (newline)

(define (make-adder k) (lambda (x) (+ x k)))
(define add5 (make-adder 5))
(display (add5 37)) (newline)

(define (compose f g) (lambda (x) (f (g x))))
(display ((compose add5 (make-adder 100)) 1)) (newline)

; Higher-order list functions, written in the guest language.
(define (map f l) (if (null? l) '() (cons (f (car l)) (map f (cdr l)))))
(define (filter p l)
  (cond ((null? l) '())
        ((p (car l)) (cons (car l) (filter p (cdr l))))
        (else (filter p (cdr l)))))
(define (fold f acc l) (if (null? l) acc (fold f (f acc (car l)) (cdr l))))
(define (range a b) (if (>= a b) '() (cons a (range (+ a 1) b))))

(define nums (range 1 21))
(display (map (lambda (x) (* x x)) (range 1 11))) (newline)
(display (filter (lambda (x) (= (remainder x 3) 0)) nums)) (newline)
(display (fold + 0 nums)) (newline)

; A bank account as a closure that dispatches on a message.
(define (make-account balance)
  (define (withdraw amount)
    (if (> amount balance)
        "insufficient funds"
        (begin (set! balance (- balance amount)) balance)))
  (define (deposit amount)
    (set! balance (+ balance amount))
    balance)
  (lambda (msg amount)
    (cond ((eq? msg 'withdraw) (withdraw amount))
          ((eq? msg 'deposit) (deposit amount))
          (else "unknown request"))))
(define acc (make-account 100))
(display (list (acc 'withdraw 30) (acc 'deposit 50) (acc 'withdraw 500) (acc 'close 0)))
(newline)
