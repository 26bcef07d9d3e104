;;; diddy-mesh.el --- Diddy-Mesh mesh configs: a major mode and the language server  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: languages, tools
;; URL: the editors/emacs folder of the Diddy-Mesh repository

;;; Commentary:

;; `diddy-mesh-mode' is a JSONC mode (derived from `js-json-mode' on Emacs 29 and later,
;; from `js-mode' before) for the files that docs/guide/config-reference.md reserves for mesh configs:
;; diddy-mesh.json, diddy-mesh.jsonc, *.mesh.json, *.mesh.jsonc, and JSON files whose
;; "$schema" ends in diddy-mesh.schema.json.
;;
;; The language server `diddy-mesh lsp' is registered with both LSP clients:
;;
;; - eglot (built in since Emacs 29; the elpa-eglot package on Debian's Emacs 28):
;;   `M-x eglot', or (add-hook 'diddy-mesh-mode-hook #'eglot-ensure).
;; - lsp-mode: `M-x lsp', or (add-hook 'diddy-mesh-mode-hook #'lsp-deferred).
;;
;; Neither client is loaded by this file: the registrations wait for them with
;; `with-eval-after-load'.
;;
;; Settings (docs/guide/editors.md) go in the `diddyMesh' section, for eglot through
;; `eglot-workspace-configuration' (for example in .dir-locals.el), for lsp-mode through
;; `diddy-mesh-lsp-settings' (sent as initializationOptions).
;;
;;   (require 'diddy-mesh)   ; or (load "/path/to/editors/emacs/diddy-mesh.el")
;;   (setq diddy-mesh-server-command '("/path/to/diddy-mesh" "lsp"))
;;   (add-hook 'diddy-mesh-mode-hook #'eglot-ensure)

;;; Code:

(require 'js)

(defgroup diddy-mesh nil
  "Diddy-Mesh service-mesh configs."
  :group 'languages
  :prefix "diddy-mesh-")

(defcustom diddy-mesh-server-command '("diddy-mesh" "lsp")
  "The command that starts the Diddy-Mesh language server, as a list of words."
  :type '(repeat string)
  :group 'diddy-mesh)

(defcustom diddy-mesh-lsp-settings nil
  "The `diddyMesh' settings (docs/guide/editors.md) for lsp-mode, as a plist.
For example (:registry \"wrangler-local\" :live (:deadlineMs 500)).
eglot users set `eglot-workspace-configuration' instead."
  :type 'plist
  :group 'diddy-mesh)

(defconst diddy-mesh--schema-regexp
  "\"\\$schema\"[ \t\n]*:[ \t\n]*\"[^\"]*diddy-mesh\\.schema\\.json\""
  "A `$schema' member naming the mesh config schema.")

(defconst diddy-mesh--file-name-regexp
  "\\(?:\\`\\|/\\)\\(?:diddy-mesh\\|[^/]*\\.mesh\\)\\.jsonc?\\'"
  "The file names reserved for mesh configs.")

(defun diddy-mesh--schema-file-p ()
  "Whether the current buffer is a JSON file that declares the mesh schema.
Only the first 8 KB are read: `$schema' comes first in practice."
  (and buffer-file-name
       (string-match-p "\\.jsonc?\\'" buffer-file-name)
       (save-excursion
         (goto-char (point-min))
         (re-search-forward diddy-mesh--schema-regexp (min (point-max) 8192) t))))

(defalias 'diddy-mesh--parent-mode
  (if (fboundp 'js-json-mode) #'js-json-mode #'js-mode)
  "The parent of `diddy-mesh-mode': `js-json-mode' (Emacs 29+) or `js-mode'.")

;;;###autoload
(define-derived-mode diddy-mesh-mode diddy-mesh--parent-mode "Diddy-Mesh"
  "Major mode for Diddy-Mesh mesh configs (JSONC)."
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "\\(?://+\\|/\\*+\\)\\s *"))

;;;###autoload
(add-to-list 'auto-mode-alist (cons diddy-mesh--file-name-regexp 'diddy-mesh-mode))
;;;###autoload
(add-to-list 'magic-mode-alist (cons #'diddy-mesh--schema-file-p 'diddy-mesh-mode))

(defun diddy-mesh--eglot-contact (&optional _interactive)
  "The server command for eglot, read when a server starts."
  diddy-mesh-server-command)

(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs
               ;; eglot names the language after the mode: "diddy-mesh".
               '(diddy-mesh-mode . diddy-mesh--eglot-contact)))

(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp-activate-on "lsp-mode")
(defvar lsp-language-id-configuration)

(with-eval-after-load 'lsp-mode
  (add-to-list 'lsp-language-id-configuration '(diddy-mesh-mode . "diddy-mesh"))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () diddy-mesh-server-command))
    :activation-fn (lsp-activate-on "diddy-mesh")
    :server-id 'diddy-mesh
    ;; The server reads the `diddyMesh' section from initializationOptions (docs/guide/editors.md).
    :initialization-options (lambda () (list :diddyMesh diddy-mesh-lsp-settings)))))

(provide 'diddy-mesh)

;;; diddy-mesh.el ends here
