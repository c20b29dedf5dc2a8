"""The tagger as a plain PyTorch module: no spaCy or thinc imports.

Input is one integer feature matrix per batch, built by `featurizer.py`: for
every token, hashed rows of lexical attributes (two hashes per attribute, as
spaCy's HashEmbed uses several, so that a collision in one table is resolved by
the other), the token's lexicon-match tag, and the hashed character trigrams of
the lowercased token (fastText-style subwords, which give dictated misspellings
like "calcifictions" a representation close to the right word). The layers are:

embeddings (summed per attribute, concatenated) -> linear mix -> BiLSTM over
packed sequences (padding never enters either direction) -> multi-head
self-attention inside fixed windows (memory linear in document length) with a
residual connection and layer norm -> per-token scores over the BIO tags.
"""

from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class AttentionBiLSTMTagger(nn.Module):
    """Attention-BiLSTM sequence tagger over hashed token features.

    hash_rows (Sequence[int]): rows of the embedding table of each hashed attribute;
        the feature matrix holds two columns per attribute.
    n_lexicon_tags (int): size of the lexicon-tag vocabulary (0 disables the column).
    subword_rows (int): rows of the character-trigram table (0 disables it).
    n_subwords (int): trigram columns per token (0 = padding).
    """

    def __init__(
        self,
        *,
        hash_rows: Sequence[int],
        n_lexicon_tags: int,
        subword_rows: int,
        n_subwords: int,
        embed_width: int,
        hidden_width: int,
        lstm_depth: int,
        attention_heads: int,
        attention_window: int,
        dropout: float,
        n_tags: int,
    ):
        super().__init__()
        self.hash_rows = list(hash_rows)
        self.n_lexicon_tags = n_lexicon_tags
        self.n_subwords = n_subwords if subword_rows else 0
        self.attention_window = attention_window
        self.hash_embeds = nn.ModuleList(nn.Embedding(rows, embed_width) for rows in hash_rows)
        concat_width = embed_width * len(hash_rows)
        if n_lexicon_tags:
            self.lexicon_embed = nn.Embedding(n_lexicon_tags, embed_width // 2)
            concat_width += embed_width // 2
        if self.n_subwords:
            self.subword_embed = nn.Embedding(subword_rows, embed_width, padding_idx=0)
            concat_width += embed_width
        self.mix = nn.Sequential(nn.Linear(concat_width, embed_width), nn.GELU(), nn.LayerNorm(embed_width))
        self.embed_dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(
            embed_width,
            hidden_width // 2,
            num_layers=lstm_depth,
            batch_first=True,
            bidirectional=True,
            dropout=dropout if lstm_depth > 1 else 0.0,
        )
        self.attention = nn.MultiheadAttention(hidden_width, attention_heads, dropout=dropout, batch_first=True)
        self.attention_norm = nn.LayerNorm(hidden_width)
        self.output_dropout = nn.Dropout(dropout)
        self.output = nn.Linear(hidden_width, n_tags)

    def embed(self, features: torch.Tensor) -> torch.Tensor:
        """(batch, length, n_columns) int64 -> (batch, length, embed_width)."""
        parts = []
        for i, table in enumerate(self.hash_embeds):
            parts.append(table(features[..., 2 * i]) + table(features[..., 2 * i + 1]))
        column = 2 * len(self.hash_embeds)
        if self.n_lexicon_tags:
            parts.append(self.lexicon_embed(features[..., column]))
            column += 1
        if self.n_subwords:
            ids = features[..., column : column + self.n_subwords]
            # Mean over a token's trigrams, padding (row 0) excluded.
            bags = nn.functional.embedding_bag(
                ids.reshape(-1, self.n_subwords), self.subword_embed.weight, mode="mean", padding_idx=0
            )
            parts.append(bags.reshape(*ids.shape[:-1], -1))
        return self.embed_dropout(self.mix(torch.cat(parts, dim=-1)))

    def windowed_attention(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Self-attention inside non-overlapping windows; `mask` is True on real tokens.

        Only windows holding a real token are computed. The weights are those of
        `self.attention` (an nn.MultiheadAttention), applied with
        `scaled_dot_product_attention`.
        """
        batch, length, width = hidden.shape
        window = min(self.attention_window, length)
        n_windows = -(-length // window)
        pad = n_windows * window - length
        if pad:
            hidden = nn.functional.pad(hidden, (0, 0, 0, pad))
            mask = nn.functional.pad(mask, (0, pad), value=False)
        blocks = hidden.reshape(batch * n_windows, window, width)
        keep = mask.reshape(batch * n_windows, window)
        used = keep.any(dim=1).nonzero().squeeze(1)
        blocks, keep = blocks[used], keep[used]
        heads = self.attention.num_heads
        qkv = nn.functional.linear(blocks, self.attention.in_proj_weight, self.attention.in_proj_bias)
        q, k, v = qkv.reshape(len(used), window, 3, heads, width // heads).permute(2, 0, 3, 1, 4)
        attended = nn.functional.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=keep[:, None, None, :],
            dropout_p=self.attention.dropout if self.training else 0.0,
        )
        attended = attended.transpose(1, 2).reshape(len(used), window, width)
        attended = self.attention.out_proj(attended)
        out = hidden.new_zeros(batch * n_windows, window, width)
        out[used] = attended.to(out.dtype)
        return out.reshape(batch, n_windows * window, width)[:, :length]

    def forward(self, features: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Score every token: (batch, length, n_columns), (batch,) -> (batch, length, n_tags)."""
        length = features.shape[1]
        embedded = self.embed(features)
        packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        lstm_out, _ = self.lstm(packed)
        hidden, _ = pad_packed_sequence(lstm_out, batch_first=True, total_length=length)
        mask = torch.arange(length, device=features.device)[None, :] < lengths.to(features.device)[:, None]
        attended = self.windowed_attention(hidden, mask)
        hidden = self.attention_norm(hidden + self.output_dropout(attended))
        return self.output(self.output_dropout(hidden))
