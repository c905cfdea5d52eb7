import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { inLanguage } from '../api/problem';
import { en, type MessageKey, zh } from './dictionary';

export type Language = 'zh' | 'en';
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'haitang.lang';

interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  /** A message with `{name}` placeholders filled in. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** A bilingual API message ("中文。(English.)") in the reader's language. */
  api(message: string): string;
}

const Context = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh' ? stored : 'zh';
}

/** Chinese first; English on request (remembered on this device). A small dictionary, no i18n library. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = DICTIONARIES[lang]['app.name'];
  }, [lang]);
  const setLang = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => ({
    lang,
    setLang,
    t: (key, values) => {
      let text = DICTIONARIES[lang][key] ?? key;
      if (values) for (const [name, v] of Object.entries(values)) text = text.replaceAll(`{${name}}`, String(v));
      return text;
    },
    api: (message) => inLanguage(message, lang),
  }), [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(Context);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
