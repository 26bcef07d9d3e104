;;; drive.el --- Drives a real Emacs with editors/emacs/diddy-mesh.el  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run as: emacs --batch -Q -l editors/emacs/diddy-mesh.el -l drive.el
;; with, in the environment:
;;   DIDDY_MESH_BIN          the diddy-mesh executable
;;   DIDDY_EMACS_CONFIG      the mesh config to open with eglot
;;   DIDDY_EMACS_MODE_FILES  files (separated by newlines) whose major mode to report
;;   DIDDY_EMACS_RESULT      where the result JSON goes
;;   DIDDY_EMACS_TIMEOUT     seconds to wait for diagnostics
;;   DIDDY_EMACS_CLIENT      "eglot" (the default) or "lsp-mode"
;; It reports the major modes, whether the client connected to `diddy-mesh lsp', and the
;; diagnostics as the client holds them (Flymake's for eglot, lsp-mode's own store).  Every wait is bounded; errors are recorded in the
;; result rather than ending the run, so the test always has a file to read.

;;; Code:

(require 'cl-lib)
(require 'json)

(defvar drive-result nil "The result, an alist written as JSON at the end.")

(defun drive-put (key value)
  "Record VALUE under KEY in the result."
  (setq drive-result (cons (cons key value) (assq-delete-all key drive-result))))

(defun drive-write-and-exit ()
  "Write the result and leave Emacs."
  (with-temp-file (getenv "DIDDY_EMACS_RESULT")
    (insert (json-encode drive-result)))
  (kill-emacs 0))

(defun drive-require (feature)
  "Load FEATURE; Debian's elpa-* packages are on the load path only when site-start
runs, which -Q skips, so their folders are added when the plain require fails."
  (or (require feature nil t)
      (progn
        (dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
          (when (file-directory-p dir) (add-to-list 'load-path dir)))
        (require feature nil t))))

(defun drive-wait (predicate seconds)
  "Process output until PREDICATE is true or SECONDS pass; return PREDICATE's value."
  (let ((deadline (+ (float-time) seconds))
        (value nil))
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun drive-diagnostic (diagnostic)
  "DIAGNOSTIC (a Flymake diagnostic) as an alist: code, 0-based line and column."
  (let* ((data (flymake-diagnostic-data diagnostic))
         (lsp (alist-get 'eglot-lsp-diag data))
         (beg (flymake-diagnostic-beg diagnostic)))
    (save-excursion
      (goto-char beg)
      `((code . ,(plist-get lsp :code))
        (line . ,(1- (line-number-at-pos beg)))
        (column . ,(- beg (line-beginning-position)))
        (type . ,(symbol-name (flymake-diagnostic-type diagnostic)))
        (text . ,(flymake-diagnostic-text diagnostic))))))

(defun drive-modes ()
  "The major mode of each file in DIDDY_EMACS_MODE_FILES."
  (let ((modes nil))
    (dolist (file (split-string (or (getenv "DIDDY_EMACS_MODE_FILES") "") "\n" t))
      (let ((buffer (find-file-noselect file)))
        (push (cons file (symbol-name (buffer-local-value 'major-mode buffer))) modes)
        (kill-buffer buffer)))
    (drive-put 'modes (nreverse modes))))

(defun drive-eglot ()
  "Open the config, connect eglot through its guess (so through the registration in
diddy-mesh.el), and collect the diagnostics Flymake receives."
  (let ((timeout (string-to-number (or (getenv "DIDDY_EMACS_TIMEOUT") "20"))))
    (setq diddy-mesh-server-command (list (getenv "DIDDY_MESH_BIN") "lsp"))
    (find-file (getenv "DIDDY_EMACS_CONFIG"))
    (drive-put 'mode (symbol-name major-mode))
    (unless (drive-require 'eglot)
      (drive-put 'eglot :json-false)
      (drive-write-and-exit))
    (drive-put 'eglot t)
    (drive-put 'eglotVersion (or (bound-and-true-p eglot-version)
                                 (let ((library (locate-library "eglot"))) (and library (file-name-directory library)))))
    (let ((contact (eglot--guess-contact)))
      (drive-put 'contact (nth 3 contact))
      (drive-put 'languageId (nth 4 contact))
      (apply #'eglot contact))
    (let ((server (drive-wait #'eglot-current-server timeout)))
      (drive-put 'connected (if server t :json-false))
      (when server
        (drive-put 'serverName (plist-get (eglot--server-info server) :name))
        ;; Flymake reports on its own timers, which batch mode does not idle for:
        ;; start it by hand until the diagnostics are in.
        (drive-wait (lambda () (flymake-start) (flymake-diagnostics)) timeout)
        ;; Then wait for the count to settle (half a second without change).
        (let ((count -1) (since (float-time)))
          (drive-wait (lambda ()
                        (flymake-start)
                        (let ((now (length (flymake-diagnostics))))
                          (unless (= now count) (setq count now since (float-time)))
                          (> (- (float-time) since) 0.5)))
                      timeout))
        (drive-put 'diagnostics (vconcat (mapcar #'drive-diagnostic (flymake-diagnostics))))
        (eglot-shutdown server)))))

(defun drive-lsp-mode ()
  "Open the config, start lsp-mode (which picks the client registered in
diddy-mesh.el), and collect the diagnostics lsp-mode stores for the file."
  (let ((timeout (string-to-number (or (getenv "DIDDY_EMACS_TIMEOUT") "20")))
        (file (getenv "DIDDY_EMACS_CONFIG")))
    (setq diddy-mesh-server-command (list (getenv "DIDDY_MESH_BIN") "lsp"))
    (unless (drive-require 'lsp-mode)
      (drive-put 'lspMode :json-false)
      (drive-write-and-exit))
    (drive-put 'lspMode t)
    (setq lsp-session-file (expand-file-name "lsp-session" temporary-file-directory)
          lsp-enable-file-watchers nil
          lsp-auto-guess-root nil
          lsp-restart 'ignore
          lsp-diagnostics-provider :none
          lsp-enable-snippet nil
          lsp-modeline-workspace-status-enable nil
          lsp-modeline-code-actions-enable nil
          lsp-headerline-breadcrumb-enable nil)
    (find-file file)
    (drive-put 'mode (symbol-name major-mode))
    ;; The project root, without lsp-mode's interactive question.
    (lsp-workspace-folders-add (file-name-directory file))
    (lsp)
    (let ((workspace (drive-wait (lambda () (car (lsp-workspaces))) timeout)))
      (drive-put 'connected (if workspace t :json-false))
      (when workspace
        (drive-put 'serverId (symbol-name (lsp--client-server-id (lsp--workspace-client workspace))))
        (drive-wait (lambda () (gethash file (lsp-diagnostics t))) timeout)
        (drive-put 'diagnostics
                   (vconcat (mapcar (lambda (diagnostic)
                                      (let ((start (lsp:range-start (lsp:diagnostic-range diagnostic))))
                                        `((code . ,(lsp:diagnostic-code? diagnostic))
                                          (line . ,(lsp:position-line start))
                                          (column . ,(lsp:position-character start)))))
                                    (gethash file (lsp-diagnostics t)))))
        (lsp-workspace-shutdown workspace)))))

(condition-case failure
    (progn
      (drive-modes)
      (if (equal (getenv "DIDDY_EMACS_CLIENT") "lsp-mode")
          (drive-lsp-mode)
        (drive-eglot)))
  (error (drive-put 'error (error-message-string failure))))
(drive-write-and-exit)

;;; drive.el ends here
