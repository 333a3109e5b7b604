"""Stopword lists for the extractive ranker.

Function words carry no topic, and in news text they would otherwise dominate the
similarity between sentences ("yang", "di", "dan" are in nearly every Indonesian
sentence). The Indonesian list covers conjunctions, prepositions, pronouns, particles,
auxiliaries, quantifiers and the reporting verbs that every news sentence uses
("kata", "ujar", "ungkap"). Written for this project.
"""

from __future__ import annotations

INDONESIAN: frozenset[str] = frozenset(
    """
    ada adalah adanya agak agar akan akankah akhirnya aku akulah amat amatlah anda andalah antar antara
    antaranya apa apaan apabila apakah apalagi apatah atau ataukah ataupun atas bagai bagaikan bagaimana
    bagaimanakah bagaimanapun bagi bahkan bahwa bahwasanya baik banyak barangkali baru bawah beberapa
    begini beginian begitu begitukah begitulah begitupun belum belumlah berapa berapakah berbagai berikut
    berikutnya berkata berupa besar betul biasa biasanya bila bilakah bisa bisakah boleh bolehkah bukan
    bukankah bukanlah bukannya cukup cuma dahulu dalam dan dapat dari daripada dekat demi demikian
    demikianlah dengan depan di dia diakah dialah diantara diantaranya dikatakan dilakukan dimana dini
    diri dirinya disini disinilah dong dulu enggak enggaknya entah entahlah guna hal hampir hanya hanyalah
    harus haruslah hendak hendaklah hingga ia ialah ibarat ini inikah inilah itu itukah itulah jadi jangan
    jangankan janganlah jika jikalau juga justru kala kalau kalaulah kalaupun kalian kami kamilah kamu
    kamulah kan kapan kapankah kapanpun karena karenanya kata katanya ke kebanyakan kecuali kemudian
    kenapa kepada kepadanya ketika kini kita kitalah lagi lagian lah lain lainnya lalu lama lebih lewat
    maka makanya masih masing mau maupun melainkan melakukan melalui memang mengatakan mengenai menjadi
    menurut mereka merekalah meski meskipun mungkin mungkinkah nah namun nanti nantinya nya oleh olehnya
    pada padahal padanya para pasti patut per perlu pernah persis pula pun punya saat saja sajalah salah
    sama sambil sampai sana sangat sangatlah satu saya sayalah se sebab sebabnya sebagai sebagaimana
    sebagian sebaliknya sebelum sebelumnya sebenarnya secara sedang sedangkan sedikit segala segera
    sehingga sejak sekali sekalipun sekarang selain selaku selalu selama selanjutnya seluruh seluruhnya
    semakin semua semuanya sendiri sendirinya seolah seorang sepanjang seperti sepertinya serta sesuatu
    sesudah setelah setiap siapa siapakah siapapun sini situ suatu sudah sudahkah sudahlah supaya tadi
    tadinya tak tanpa tapi telah tentang tentu tentulah tentunya terhadap terjadi termasuk ternyata
    tersebut tetapi tiap tidak tidakkah tidaklah toh untuk usai waduh wah wahai walau walaupun yaitu yakni
    yang
    ujar ungkap ujarnya ungkapnya jelas jelasnya tutur tuturnya sebut sebutnya kata katanya imbuh imbuhnya
    tambah tambahnya menambahkan menjelaskan mengungkapkan menuturkan menyebutkan
    hari senin selasa rabu kamis jumat sabtu minggu pukul wib wita wit tahun bulan
    pak bu bapak ibu sang si
    """.split()
)

ENGLISH: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    said says say told according added mr mrs ms monday tuesday wednesday thursday friday saturday sunday
    year years
    """.split()
)


def for_language(code: str) -> frozenset[str]:
    """The stopwords for an ISO 639-1 code; none for languages without a list."""
    return {"id": INDONESIAN, "ms": INDONESIAN, "en": ENGLISH}.get(code, frozenset())
